// Multi-document YAML with exact source ranges, over any SourceText (a file or an embedded string).
import { type Alias, Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq, isMap, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';
import type { Span } from '../types';
import { perObject } from '../memo';
import type { SourceText } from './source';
import { maskOf, restoreTemplates } from './templates';

export interface YamlProblem {
  span: Span;
  message: string;
}

export interface ParsedDoc {
  source: SourceText;
  doc: Document.Parsed;
  /** Index of the document in its text (for messages). */
  index: number;
  errors: YamlProblem[];
  /** The document's root mapping, when it is one. */
  root?: YAMLMap;
}

/** Parses `source` with its template markup masked (see templates.ts): offsets are the file's. */
export function parseDocuments(source: SourceText): ParsedDoc[] {
  let docs: Document.Parsed[];
  const mask = maskOf(source);
  // A YAMLParseError is an Error: capturing its stack costs more than parsing the text when a half-typed
  // document has many errors, and only the message and position are read.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    docs = parseAllDocuments(mask.text, { strict: false, uniqueKeys: false, prettyErrors: false }) as Document.Parsed[];
  } catch (e) {
    // The parser should never throw; if it does, the whole text is one problem, reported, not dropped.
    const message = `the YAML parser failed: ${firstLine(e instanceof Error ? e.message : String(e))}`;
    return [{ source, doc: new Document(null) as Document.Parsed, index: 0, errors: [{ span: { start: 0, end: Math.max(1, source.text.length) }, message }] }];
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (!Array.isArray(docs)) docs = [docs];
  for (const doc of docs) restoreTemplates(doc, source.text, mask);
  const maybeAlias = mask.text.includes('*'); // (a walk of every node only when an alias can be there)
  return docs.map((doc, index) => ({
    source,
    doc,
    index,
    errors: [...doc.errors.map((e) => ({ span: errorSpan(doc, e, mask.text), message: firstLine(e.message) })), ...(maybeAlias ? unresolvedAliases(doc) : [])],
    root: isMap(doc.contents) ? doc.contents : undefined,
  }));
}

/**
 * Where an error is shown. yaml reports a quoted scalar left open where its text ran out (the end of the
 * document, often many lines below): it is shown at the opening quote instead, to the end of that line.
 */
function errorSpan(doc: Document.Parsed, e: Document.Parsed['errors'][number], text: string): Span {
  const at = { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) };
  if (e.code !== 'MISSING_CHAR' || !/^Missing closing ["']quote/.test(e.message)) return at;
  let open: number | undefined;
  visit(doc, {
    Scalar(_, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range?.[1] === e.pos[0]) {
        open = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (open === undefined) return at;
  const eol = text.slice(open).search(/[\r\n]/);
  return { start: open, end: eol < 0 ? text.length : open + Math.max(eol, 1) };
}

// Aliases to an anchor the document does not define (`resourcePool: */Resources`, unquoted, CAPV's
// customary value): the parser accepts them, kubectl rejects the file.
function unresolvedAliases(doc: Document.Parsed): YamlProblem[] {
  if (doc.errors.length > 0) return [];
  const out: YamlProblem[] = [];
  visit(doc, {
    Alias(_, node: Alias) {
      if (node.resolve(doc) !== undefined) return;
      const [start, end] = node.range ?? [0, 1];
      out.push({
        span: { start, end },
        message: `unresolved alias *${node.source}: no anchor &${node.source} is defined in this document (quote the value if it is text)`,
      });
    },
  });
  return out;
}

/**
 * Parses YAML embedded in the scalar `key` once for as long as that node lives (it lives as long
 * as its document is unchanged). Spans stay right: they are computed through `source` on demand.
 */
export const parseEmbedded: (key: object, source: () => SourceText) => ParsedDoc[] = perObject((_key: object, source: () => SourceText) =>
  parseDocuments(source()),
);

/** The parser catches its own stack overflow on deeply nested collections and reports it as an error. */
const TOO_DEEP = 'collections are nested too deeply to read (hundreds of levels)';

function firstLine(message: string): string {
  if (/Maximum call stack size exceeded/.test(message)) return TOO_DEEP;
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

export type Path = (string | number)[];

/**
 * The node at `path` (mapping keys and sequence indexes), or undefined. Not memoised: a walk of a few
 * keys costs less than a table per node (what is derived from an unchanged document is memoised
 * above it, per document or per cluster).
 */
export function nodeAt(node: unknown, path: Path): Node | undefined {
  let cur: unknown = node;
  for (const key of path) {
    if (isMap(cur) && typeof key === 'string') cur = cur.get(key, true);
    else if (isSeq(cur) && typeof key === 'number') cur = cur.get(key, true);
    else return undefined;
  }
  return cur as Node | undefined;
}

export function pairAt(map: unknown, key: string): Pair<Scalar, Node> | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Scalar, Node> | undefined;
}

/** The string value at `path` (numbers and booleans as their text), or undefined. */
export function stringAt(node: unknown, path: Path): string | undefined {
  const n = nodeAt(node, path);
  if (!isScalar(n) || n.value === null || n.value === undefined) return undefined;
  return typeof n.value === 'object' ? undefined : String(n.value);
}

export function scalarAt(node: unknown, path: Path): Scalar | undefined {
  const n = nodeAt(node, path);
  return isScalar(n) ? n : undefined;
}

export function seqAt(node: unknown, path: Path): YAMLSeq | undefined {
  const n = nodeAt(node, path);
  return isSeq(n) ? n : undefined;
}

export function mapAt(node: unknown, path: Path): YAMLMap | undefined {
  const n = nodeAt(node, path);
  return isMap(n) ? n : undefined;
}

/** Items of a sequence that are mappings, with their index. */
export function mapItems(seq: YAMLSeq | undefined): { index: number; map: YAMLMap }[] {
  if (!seq) return [];
  const out: { index: number; map: YAMLMap }[] = [];
  seq.items.forEach((item, index) => {
    if (isMap(item)) out.push({ index, map: item });
  });
  return out;
}

const TEMPLATE = /\$\{[^}]*\}|\{\{|\{%|\{#|\$\(|<%/;

/** `${VAR}`, `{{ .Values.x }}` and friends: values filled in later, never judged as IPs. */
export function isTemplated(value: string): boolean {
  return TEMPLATE.test(value);
}
