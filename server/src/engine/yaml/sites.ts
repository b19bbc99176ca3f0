// ValueSites: scalar values located in the outer file, with their rewrite.
import type { Scalar } from 'yaml';
import type { ValueSite } from '../model/types';
import { isTemplated } from './documents';
import { scalarSource, type SourceText } from './source';

/** The site of a scalar's whole value. A null scalar (`host:`) rewrites by inserting after the colon. */
export function valueSite(source: SourceText, node: Scalar): ValueSite {
  const [start, end] = node.range ?? [0, 0];
  if (node.value === null || node.value === undefined) {
    const empty = end === start;
    return {
      uri: source.uri,
      span: source.outerSpan(start, end),
      value: '',
      templated: false,
      rewrite: (v) => source.replace(start, end, empty ? ' ' + v : v),
    };
  }
  const inner = scalarSource(source, node);
  return textSite(inner, 0, inner.text.length);
}

/** The site of characters [start, end) of a text (e.g. the host of `host:port`). */
export function textSite(text: SourceText, start: number, end: number): ValueSite {
  const value = text.text.slice(start, end);
  return {
    uri: text.uri,
    span: text.outerSpan(start, end),
    value,
    templated: isTemplated(value),
    rewrite: (v) => text.replace(start, end, v),
  };
}

/** Splits `host[:port]` (IPv6 in brackets) into the host's offsets. */
export function hostPart(value: string): { start: number; end: number } {
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    return close > 0 ? { start: 1, end: close } : { start: 0, end: value.length };
  }
  const colons = (value.match(/:/g) ?? []).length;
  if (colons === 1) return { start: 0, end: value.indexOf(':') };
  return { start: 0, end: value.length }; // bare IPv6 or no port
}
