// Text insertions into block YAML that keep the file's own indentation and formatting.
import type { YAMLMap, YAMLSeq } from 'yaml';
import type { TextEdit } from '../types';
import type { SourceText } from './source';

function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function lineEnd(text: string, offset: number): number {
  // A node's range may end just after its line break: that break still ends the node's line.
  const nl = text.indexOf('\n', text[offset - 1] === '\n' ? offset - 1 : offset);
  return nl < 0 ? text.length : nl;
}

/** Appends `item` to a block or flow sequence. */
export function appendToSeq(source: SourceText, seq: YAMLSeq, item: string): TextEdit[] {
  const text = source.text;
  const [start, end] = seq.range ?? [0, 0];
  if (seq.flow) {
    const close = text.lastIndexOf(']', end);
    if (close < start) return [];
    return source.replace(close, close, seq.items.length ? `, ${item}` : item);
  }
  const first = seq.items[0] as { range?: [number, number, number] } | undefined;
  const last = seq.items[seq.items.length - 1] as { range?: [number, number, number] } | undefined;
  if (!first?.range || !last?.range) return [];
  const dash = text.lastIndexOf('-', first.range[0]);
  const indent = ' '.repeat(column(text, dash));
  const at = lineEnd(text, last.range[1]);
  return source.replace(at, at, `\n${indent}- ${item}`);
}

/**
 * Adds nested keys ending in a one-item sequence under `map`:
 * keys ['apiServer', 'certSANs'] and item 'x' give `apiServer:\n  certSANs:\n  - x` at the map's indentation.
 */
export function insertIntoMap(source: SourceText, map: YAMLMap, keys: string[], item: string): TextEdit[] {
  const text = source.text;
  if (map.flow || map.items.length === 0) return [];
  const firstKey = map.items[0]!.key as { range?: [number, number, number] };
  const lastPair = map.items[map.items.length - 1]!;
  const lastNode = (lastPair.value ?? lastPair.key) as { range?: [number, number, number] } | null;
  if (!firstKey?.range || !lastNode?.range) return [];
  const base = column(text, firstKey.range[0]);
  const lines: string[] = keys.map((k, i) => `${' '.repeat(base + 2 * i)}${k}:`);
  lines.push(`${' '.repeat(base + 2 * keys.length)}- ${item}`);
  const at = lineEnd(text, lastNode.range[1]);
  return source.replace(at, at, '\n' + lines.join('\n'));
}
