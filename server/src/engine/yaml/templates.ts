// Template markup is not YAML: clusterctl variables (`${VAR}`, `${ VAR }`, `${VAR:=default}`,
// `${VAR=default}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:""}`, a default spanning lines;
// `$$` is an escaped `$`) and Go/Helm/Jinja markup (`{{ }}`, `{{- -}}`, `{% %}`, `{# #}`, also
// spanning lines). Before parsing, each is replaced by a stand-in of the same length, so every
// offset stays exact: inline markup becomes `x…x` (a plain word, valid as a value, a key, a flow
// item or inside quotes) on its first line and blanks on the lines it continues to (a line break
// inside a quoted or plain scalar then folds as before), and a line holding only markup or only a
// variable (`{{- if .Values.x }}`, clusterctl's `${EXTRA_CONFIG}` of several keys) reads as an
// empty line (valid anywhere, even inside a block scalar): blanks, or for a variable a comment. The parsed scalars that covered
// markup get their original text back and are remembered as templated: no rule judges them.
import { type Document, type Scalar, visit } from 'yaml';
import type { Span } from '../types';
import { decodedOffsets } from './source';
import { perObjectWith } from '../memo';

export interface TemplateMask {
  /** The text with every template replaced (same length). */
  text: string;
  /** Offsets of the templates, sorted and disjoint. */
  regions: Span[];
  /** The regions replaced by `x…x` or `#x…x` (not directive lines): what a value can hold. */
  inline: Span[];
}

const OPEN = /\$\$|\$\{|\{\{|\{%|\{#/g;
const CLOSE: Record<string, string> = { '${': '}', '{{': '}}', '{%': '%}', '{#': '#}' };

/** `{{ .Values.vip }}`, `{{ HOST }}`: no action (`if`, `end`, `range`, …) and no whitespace trimming (`{{-`). */
const EXPRESSION = /^\{\{(?!-)(?!\s*(?:(?:if|else|end|range|with|define|template|block|break|continue)\b|\/\*))\s*[^\s}]/;

/** `${NAME` then a default (`:=`, `=`, `:-`, `-`, `:`): only a default may span lines. */
const VARIABLE_WITH_DEFAULT = /^\$\{\s*[A-Za-z_]\w*\s*(?::?[=-]|:)/;

function closeOf(text: string, from: number, close: string): number {
  const at = text.indexOf(close, from + 2);
  return at < 0 ? -1 : at + close.length;
}

/** How far a default may run (a longer one is no default: the scan stays linear on `${A:=` repeated). */
const MAX_DEFAULT = 4096;

/**
 * The end of the variable at `start`, or -1. Without a default it closes on its line; a default may
 * span lines and hold variables of its own (Harvester's `${UPDATE_CLOUD_PROVIDER:-key:⏎ name: ${CLUSTER_NAME}-csi⏎ }`).
 */
function variableEnd(text: string, start: number): number {
  const close = text.indexOf('}', start + 2);
  if (close < 0) return -1;
  const head = text.slice(start, Math.min(close + 1, start + 200));
  if (!VARIABLE_WITH_DEFAULT.test(head)) return /[\r\n]/.test(text.slice(start, close)) ? -1 : close + 1;
  let depth = 0;
  const limit = Math.min(text.length, start + MAX_DEFAULT);
  for (let i = start; i < limit; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * The templates of `text`, in order. A `${` closes on its own line unless it opens a default
 * (`${VAR:=[⏎ "a"]}`); markup may span lines.
 */
function scan(text: string): Span[] {
  const out: Span[] = [];
  OPEN.lastIndex = 0;
  for (let m = OPEN.exec(text); m; m = OPEN.exec(text)) {
    if (m[0] === '$$') continue; // escaped `$`, never a variable
    const end = m[0] === '${' ? variableEnd(text, m.index) : closeOf(text, m.index, CLOSE[m[0]]!);
    if (end < 0) continue;
    out.push({ start: m.index, end });
    OPEN.lastIndex = end;
  }
  return out;
}

const isBreak = (c: string) => c === '\n' || c === '\r';

export function maskTemplates(text: string): TemplateMask {
  if (!/[${]/.test(text)) return { text, regions: [], inline: [] };
  const regions = scan(text);
  if (regions.length === 0) return { text, regions: [], inline: [] };
  const inline: Span[] = [];
  const parts: string[] = [];
  let done = 0;
  // A line is a directive line when nothing but markup and blanks is on it: how many templates it holds (0: not one).
  const lineOnlyMarkup = (from: number, to: number): number => {
    let lineStart = from; // (lastIndexOf('\r') would scan the whole text when there is none)
    while (lineStart > 0 && !isBreak(text[lineStart - 1]!)) lineStart--;
    let lineEnd = to;
    while (lineEnd < text.length && !isBreak(text[lineEnd]!)) lineEnd++;
    let k = lineStart;
    let n = 0;
    for (let i = firstEndingAfter(regions, lineStart); i < regions.length; i++, n++) {
      const r = regions[i]!;
      if (r.start >= lineEnd) break;
      if (!/^[ \t]*$/.test(text.slice(k, r.start))) return 0;
      k = r.end;
    }
    return /^[ \t]*$/.test(text.slice(k, lineEnd)) ? n : 0;
  };
  for (const r of regions) {
    const source = text.slice(r.start, r.end);
    // Alone on its line, markup is blanks; a value — a variable, or one `{{ expression }}` that is no
    // action (keepalived's `{{ HOST }}` line) — is a comment (`#x…x`): outside scalars it is nothing,
    // like a blank line, and in a block scalar it stays text that gets its value back.
    const onLine = lineOnlyMarkup(r.start, r.end);
    const value = source.startsWith('${') || (onLine === 1 && EXPRESSION.test(source));
    const alone = onLine === 0 ? '' : value ? '#' : ' ';
    // The first line's part is the stand-in; the lines the markup continues to are blanks.
    const firstBreak = source.search(/[\r\n]/);
    const head = firstBreak < 0 ? source : source.slice(0, firstBreak);
    const tail = firstBreak < 0 ? '' : source.slice(firstBreak);
    const stand = alone === ' ' ? ' '.repeat(head.length) : alone + 'x'.repeat(head.length - alone.length);
    parts.push(text.slice(done, r.start), stand, tail.replace(/[^\r\n]/g, ' '));
    done = r.end;
    if (alone !== ' ') inline.push(r);
  }
  parts.push(text.slice(done));
  return { text: parts.join(''), regions, inline };
}

const masks = perObjectWith<object, TemplateMask>();

/** The mask of a text (a SourceText), computed once per text. */
export function maskOf(source: { readonly text: string }): TemplateMask {
  return masks(source, [source.text], () => maskTemplates(source.text));
}

/** Index of the first region ending after `pos` (binary search: regions are sorted). */
function firstEndingAfter(regions: Span[], pos: number): number {
  let lo = 0;
  let hi = regions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (regions[mid]!.end <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether [start, end) touches a region. */
export function overlaps(regions: Span[], start: number, end: number): boolean {
  const r = regions[firstEndingAfter(regions, start)];
  return !!r && r.start < Math.max(end, start + 1);
}

const templatedNodes = new WeakSet<object>();
/** The value the parser read from the masked text, for templated scalars (offset maps are computed on it). */
const maskedValues = new WeakMap<object, string>();

export function maskedValue(node: Scalar, value: string): string {
  return maskedValues.get(node) ?? value;
}

/** True for a scalar whose text held template markup (its value is the original text). */
export function isTemplatedNode(node: unknown): boolean {
  return typeof node === 'object' && node !== null && templatedNodes.has(node);
}

/** Whether any scalar under `node` was templated. */
export function containsTemplate(node: unknown): boolean {
  if (isTemplatedNode(node)) return true;
  let found = false;
  if (typeof node === 'object' && node !== null) {
    visit(node as Scalar, {
      Scalar(_, n) {
        if (!templatedNodes.has(n)) return undefined;
        found = true;
        return visit.BREAK;
      },
    });
  }
  return found;
}

/**
 * Gives each scalar of `doc` (parsed from `mask.text`) that covered inline markup its original
 * text back, character for character where the scalar's encoding allows, and marks it as
 * templated. Directive lines stay blank: they are not part of any value.
 */
export function restoreTemplates(doc: Document.Parsed, original: string, mask: TemplateMask): void {
  const regions = mask.inline;
  if (regions.length === 0) return;
  visit(doc, {
    Scalar(_, node: Scalar) {
      const [start, , end] = node.range ?? [0, 0, 0];
      if (!overlaps(regions, start, end)) return;
      templatedNodes.add(node);
      const masked = String(node.value ?? '');
      maskedValues.set(node, masked);
      const map = decodedOffsets(mask.text, node, masked);
      if (map) {
        let out = '';
        for (let i = 0; i < masked.length; i++) out += overlaps(regions, map[i]!, map[i]! + 1) ? original[map[i]!] : masked[i];
        node.value = out;
      } else {
        const raw = original.slice(node.range![0], node.range![1]);
        node.value = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? raw.slice(1, -1) : raw;
      }
    },
  });
}
