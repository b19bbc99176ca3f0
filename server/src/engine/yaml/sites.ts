// ValueSites: scalar values located in the outer file, with their rewrite.
import type { Scalar } from 'yaml';
import type { ValueSite } from '../model/types';
import type { Span, TextEdit } from '../types';
import { isTemplated } from './documents';
import { isTemplatedNode } from './templates';
import { type Change, scalarSource, type SourceText } from './source';

/**
 * A value at [start, end) of a text. The span is computed on access, through the text's layers,
 * so a site stays right when its document moves in the file (text inserted above it).
 */
class Site implements ValueSite {
  readonly uri: string;
  readonly value: string;
  readonly templated: boolean;

  constructor(
    private readonly text: SourceText,
    private readonly start: number,
    private readonly end: number,
    value: string,
    private readonly write: (text: SourceText, start: number, end: number, v: string) => TextEdit[],
    templatedNode = false,
  ) {
    this.uri = text.uri;
    this.value = value;
    this.templated = templatedNode || (value !== '' && isTemplated(value));
  }

  get span(): Span {
    return this.text.outerSpan(this.start, this.end);
  }

  rewrite(v: string): TextEdit[] {
    return this.write(this.text, this.start, this.end, v);
  }

  change(v: string): { text: SourceText; change: Change } | undefined {
    return this.write === replace ? { text: this.text, change: { start: this.start, end: this.end, newText: v } } : undefined;
  }
}

const replace = (text: SourceText, start: number, end: number, v: string) => text.replace(start, end, v);

/** The site of a scalar's whole value. A null scalar (`host:`) rewrites by inserting after the colon. */
export function valueSite(source: SourceText, node: Scalar): ValueSite {
  const [start, end] = node.range ?? [0, 0];
  if (node.value === null || node.value === undefined) {
    const insert = end === start;
    return new Site(source, start, end, '', (text, s, e, v) => text.replace(s, e, insert ? ' ' + v : v));
  }
  const inner = scalarSource(source, node);
  return new Site(inner, 0, inner.text.length, inner.text, replace, isTemplatedNode(node));
}

/** The site of characters [start, end) of a text (e.g. the host of `host:port`). */
export function textSite(text: SourceText, start: number, end: number): ValueSite {
  return new Site(text, start, end, text.text.slice(start, end), replace);
}

/**
 * `site` plus fields, as a new object whose prototype is `site`: its span stays computed on access
 * (a spread would freeze it), and `site` itself is never changed (places are shared by analyses).
 */
export function derive<S extends object, T extends object>(site: S, extra: T): S & T {
  return Object.assign(Object.create(site) as S, extra);
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
