// Engine spans ↔ LSP ranges, through a per-text line index.
import type { Range } from 'vscode-languageserver';
import { type Span, LineIndex } from '../engine/index';

export class Positions {
  private cache = new Map<string, { text: string; index: LineIndex }>();

  constructor(private readonly textOf: (uri: string) => string | undefined) {}

  private index(uri: string): LineIndex {
    const text = this.textOf(uri) ?? '';
    const hit = this.cache.get(uri);
    if (hit && hit.text === text) return hit.index;
    const index = new LineIndex(text);
    this.cache.set(uri, { text, index });
    return index;
  }

  range(uri: string, span: Span): Range {
    const idx = this.index(uri);
    return { start: idx.position(span.start), end: idx.position(span.end) };
  }

  offset(uri: string, p: { line: number; character: number }): number {
    return this.index(uri).offset(p);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
