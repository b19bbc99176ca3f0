// Texts that live inside other texts: a file, a string scalar of a file, YAML embedded in that
// string, a base64 Secret value… Every layer maps its offsets back to the outer file, so that a
// finding underlines the exact characters and an edit rewrites only those characters (or, when the
// characters are not contiguous in the file, re-encodes the whole scalar).
import type * as Zlib from 'node:zlib';
import type { Scalar } from 'yaml';
import type { Span, TextEdit } from '../types';
import { maskOf, maskedValue } from './templates';
import { perObjectWith } from '../memo';

export interface SourceText {
  readonly uri: string;
  readonly text: string;
  /** The span in the outer file holding [start, end) of this text. */
  outerSpan(start: number, end: number): Span;
  /** Edits of the outer file that make this text read `newText` in place of [start, end). */
  replace(start: number, end: number, newText: string): TextEdit[];
  /**
   * Several non-overlapping changes at once. Layers that re-encode their whole scalar (base64, or a
   * string whose characters are not contiguous in the file) must see them together, in one edit.
   */
  replaceAll(changes: Change[]): TextEdit[];
  /**
   * The changes expressed in the outermost layer that can take them character for character
   * (the file, or a layer that re-encodes itself as a whole), so that changes from different
   * values of that layer can be grouped before `replaceAll`.
   */
  lift(changes: Change[]): { text: SourceText; changes: Change[] };
}

export interface Change {
  start: number;
  end: number;
  newText: string;
}

/** `text` with the changes applied (from the end, so that offsets stay valid). */
export function applyChanges(text: string, changes: Change[]): string {
  for (const c of [...changes].sort((a, b) => b.start - a.start)) text = text.slice(0, c.start) + c.newText + text.slice(c.end);
  return text;
}

/** replaceAll for layers that map each change on its own. */
export function eachChange(source: Pick<SourceText, 'replace'>, changes: Change[]): TextEdit[] {
  return changes.flatMap((c) => source.replace(c.start, c.end, c.newText));
}

/**
 * For each character of the decoded value, its offset in `parent.text` (plus one entry for the
 * end), or undefined when the scalar's encoding is not one we can map character by character.
 */
const offsetMaps = perObjectWith<Scalar, number[] | undefined>();

/** Memoised per node and parent text: a node lives as long as its document is unchanged. */
function offsetMap(parentText: string, node: Scalar, value: string): number[] | undefined {
  return offsetMaps(node, [parentText], () => decodedOffsets(parentText, node, value));
}

/** For each character of a scalar's decoded value, its offset in `parentText` (undefined when not mappable). */
export function decodedOffsets(parentText: string, node: Scalar, value: string): number[] | undefined {
  const [start, end] = node.range ?? [0, 0];
  const raw = parentText.slice(start, end);
  let map: number[] | undefined;
  switch (node.type) {
    case 'PLAIN':
      map = raw === value ? [...Array(value.length + 1).keys()].map((i) => start + i) : undefined;
      break;
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE':
      map = quotedMap(raw, start, node.type === 'QUOTE_DOUBLE', value);
      break;
    case 'BLOCK_LITERAL':
      map = literalMap(parentText, start, end, value);
      break;
    default:
      map = undefined;
  }
  return map;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

/** Decodes a single-line-or-folded quoted scalar, recording each decoded char's source offset. */
function quotedMap(raw: string, base: number, double: boolean, value: string): number[] | undefined {
  const out: string[] = [];
  const map: number[] = [];
  const q = double ? '"' : "'";
  let i = 1;
  const last = raw.length - 1;
  if (raw[0] !== q || raw[last] !== q) return undefined;
  while (i < last) {
    const c = raw[i]!;
    if (double && c === '\\') {
      const e = raw[i + 1]!;
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hex) {
        const cp = parseInt(raw.slice(i + 2, i + 2 + hex), 16);
        for (const ch of String.fromCodePoint(cp)) {
          out.push(ch);
          map.push(base + i);
        }
        i += 2 + hex;
      } else if (e === '\n' || e === '\r') {
        i += e === '\r' && raw[i + 2] === '\n' ? 3 : 2;
        while (raw[i] === ' ' || raw[i] === '\t') i++;
      } else if (e in SIMPLE_ESCAPES) {
        out.push(SIMPLE_ESCAPES[e]!);
        map.push(base + i);
        i += 2;
      } else return undefined;
    } else if (!double && c === "'" && raw[i + 1] === "'") {
      out.push("'");
      map.push(base + i);
      i += 2;
    } else if (c === '\n' || c === '\r') {
      // Line folding: trailing blanks are dropped, one break becomes a space, n breaks n-1 newlines.
      while (out.length && (out[out.length - 1] === ' ' || out[out.length - 1] === '\t') && map[map.length - 1]! >= 0) {
        out.pop();
        map.pop();
      }
      let breaks = 0;
      const at = base + i;
      while (i < last && (raw[i] === '\n' || raw[i] === '\r' || raw[i] === ' ' || raw[i] === '\t')) {
        if (raw[i] === '\n') breaks++;
        i++;
      }
      if (breaks <= 1) {
        out.push(' ');
        map.push(at);
      } else
        for (let k = 1; k < breaks; k++) {
          out.push('\n');
          map.push(at);
        }
    } else {
      out.push(c);
      map.push(base + i);
      i++;
    }
  }
  map.push(base + last);
  return out.join('') === value ? map : undefined;
}

/** `|` block scalars: inner line N is an outer line after the header, shifted by the block indent. */
function literalMap(text: string, start: number, end: number, value: string): number[] | undefined {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return value === '' ? [start] : undefined;
  const header = text
    .slice(start, headerEnd)
    .replace(/\s+#.*$/, '')
    .trim();
  const explicit = /[1-9]/.exec(header)?.[0];
  let indent = -1;
  if (explicit) {
    // The indicator is relative to the parent node's indentation: the column of the line holding the header.
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const parentIndent = /^ */.exec(text.slice(lineStart))![0].length;
    indent = parentIndent + Number(explicit);
  }
  const out: string[] = [];
  const map: number[] = [];
  let pos = headerEnd + 1;
  while (pos < end) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = text.length;
    let line = text.slice(pos, lineEnd);
    if (line.endsWith('\r')) line = line.slice(0, -1); // CRLF files
    if (indent < 0 && line.trim() !== '') indent = /^ */.exec(line)![0].length;
    const from = indent < 0 ? line.length : Math.min(indent, line.length);
    for (let k = from; k < line.length; k++) {
      out.push(line[k]!);
      map.push(pos + k);
    }
    out.push('\n');
    map.push(pos + line.length);
    pos = lineEnd + 1;
  }
  const decoded = out.join('');
  if (!decoded.startsWith(value)) return undefined;
  const m = map.slice(0, value.length);
  m.push(value.length < map.length ? map[value.length]! : end);
  return m;
}

/** Characters that never need escaping in a plain, quoted or literal scalar (IPs, hostnames). */
const SAFE = /^[0-9A-Za-z.:_-]*$/;

/** The decoded value of a string scalar as a text of its own. */
export function scalarSource(parent: SourceText, node: Scalar): SourceText {
  const value = String(node.value ?? '');
  const [nodeStart, nodeEnd] = node.range ?? [0, 0];
  // Offsets are read on the text the parser saw (templates masked, same length: see templates.ts).
  const map = offsetMap(maskOf(parent).text, node, maskedValue(node, value));
  const whole = (): Span => parent.outerSpan(nodeStart, nodeEnd);
  const exact = (c: Change) => !!map && SAFE.test(c.newText) && (c.end === c.start || map[c.end - 1]! - map[c.start]! === c.end - c.start - 1);
  const toParent = (c: Change): Change => ({ start: map![c.start]!, end: map![c.start]! + (c.end - c.start), newText: c.newText });
  return {
    uri: parent.uri,
    text: value,
    outerSpan(start, end) {
      if (!map) return whole();
      const s = map[start]!;
      const e = end > start ? map[end - 1]! + 1 : s;
      const a = parent.outerSpan(s, s);
      const b = parent.outerSpan(e, e);
      return { start: a.start, end: b.end };
    },
    replace(start, end, newText) {
      return this.replaceAll([{ start, end, newText }]);
    },
    replaceAll(changes) {
      if (changes.every(exact)) return parent.replaceAll(changes.map(toParent));
      // Not character-exact: re-encode the whole scalar, once, as a double-quoted YAML string.
      return parent.replace(nodeStart, nodeEnd, JSON.stringify(applyChanges(value, changes)));
    },
    lift(changes) {
      return changes.every(exact) ? parent.lift(changes.map(toParent)) : { text: this, changes };
    },
  };
}

/**
 * A base64 value, decoded: a `Secret.data` value, or a bootstrap file's `content` with
 * `encoding: base64` or `gzip+base64`. Every edit re-encodes (and re-compresses) the whole value,
 * so its span is the whole encoded scalar.
 */
export function base64Source(parent: SourceText, node: Scalar, gzip = false): SourceText | undefined {
  const raw = String(node.value ?? '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) return undefined;
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.toString('base64') !== raw) return undefined;
  // node:zlib is loaded for the first gzip+base64 value only (every CLI start would pay for it otherwise).
  const { gunzipSync, gzipSync } = (gzip ? require('node:zlib') : {}) as typeof Zlib;
  let decoded: string;
  try {
    decoded = (gzip ? gunzipSync(bytes, { maxOutputLength: 16 * 1024 * 1024 }) : bytes).toString('utf8');
  } catch {
    return undefined; // not gzip data, or a bomb: not read
  }
  const pack = (text: string) => (gzip ? gzipSync(Buffer.from(text, 'utf8')) : Buffer.from(text, 'utf8')).toString('base64');
  if (!gzip && pack(decoded) !== raw) return undefined;
  const outer = scalarSource(parent, node);
  const encode = (changes: Change[]) => outer.replace(0, outer.text.length, pack(applyChanges(decoded, changes)));
  return {
    uri: parent.uri,
    text: decoded,
    outerSpan: () => outer.outerSpan(0, outer.text.length),
    replace: (start, end, newText) => encode([{ start, end, newText }]),
    replaceAll: (changes) => encode(changes),
    lift(changes) {
      return { text: this, changes };
    },
  };
}
