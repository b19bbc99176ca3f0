// Splits a multi-document file at `---` lines so that an edit re-parses only the documents it
// touches: a one-line edit in a 100,000-line file must not re-parse the other 1,999 documents.
import type { Span, TextEdit } from '../types';
import { type ParsedDoc, parseDocuments } from './documents';
import type { SourceText } from './source';

/** A slice of a file at a movable offset: positions shift when text before it changes. */
export class ChunkSource implements SourceText {
  constructor(readonly uri: string, readonly text: string, public base: number) {}

  outerSpan(start: number, end: number): Span {
    return { start: this.base + start, end: this.base + end };
  }

  replace(start: number, end: number, newText: string): TextEdit[] {
    return [{ uri: this.uri, span: { start: this.base + start, end: this.base + end }, newText }];
  }
}

interface Chunk {
  source: ChunkSource;
  docs: ParsedDoc[];
}

/** Document boundaries: a line that starts with `---` followed by a space, a tab or the line end. */
function split(text: string, from: number, to: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /^---(?=[ \t\r\n]|$)/gm;
  re.lastIndex = from;
  let start = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    if (m.index > start) out.push({ start, end: m.index });
    start = m.index;
  }
  if (to > start || out.length === 0) out.push({ start, end: to });
  return out;
}

export class ChunkedFile {
  private chunks: Chunk[] = [];

  constructor(readonly uri: string) {}

  /**
   * Re-parses only the chunks in the changed region (found by the common prefix and suffix of the
   * old and new text); the chunks before it keep their offsets, the ones after it just move.
   */
  update(text: string): ParsedDoc[] {
    const old = this.text;
    this.text = text;
    if (this.chunks.length === 0) {
      this.chunks = split(text, 0, text.length).map((r) => this.parse(text, r));
      return this.docs();
    }
    let prefix = 0;
    const max = Math.min(old.length, text.length);
    while (prefix < max && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (suffix < max - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
    const delta = text.length - old.length;
    // Chunks entirely before the change, and entirely after it, are kept.
    const before = this.chunks.filter((c) => c.source.base + c.source.text.length < prefix);
    const after = this.chunks.filter((c) => c.source.base > old.length - suffix);
    const from = before.length ? before[before.length - 1]!.source.base + before[before.length - 1]!.source.text.length : 0;
    const to = after.length ? after[0]!.source.base + delta : text.length;
    for (const c of after) c.source.base += delta;
    const middle = split(text, from, to).map((r) => this.parse(text, r));
    this.chunks = [...before, ...middle, ...after];
    return this.docs();
  }

  private text = '';

  private parse(text: string, { start, end }: { start: number; end: number }): Chunk {
    const source = new ChunkSource(this.uri, text.slice(start, end), start);
    return { source, docs: parseDocuments(source) };
  }

  private docs(): ParsedDoc[] {
    return this.chunks.flatMap((c) => c.docs);
  }
}
