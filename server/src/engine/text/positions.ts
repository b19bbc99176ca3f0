// Offsets ↔ 0-based line/character (UTF-16, as LSP and JS strings count). Lines end as LSP ends
// them: at `\r\n`, `\r` or `\n` (not at U+2028/U+2029). The one line index of the server and CLI.
export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }

  /** A character past the end of its line means the line end (LSP), never a position on the next line. */
  offset(p: Position): number {
    const line = Math.min(Math.max(p.line, 0), this.starts.length - 1);
    const start = this.starts[line]!;
    let end = line + 1 < this.starts.length ? this.starts[line + 1]! - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.min(start + Math.max(p.character, 0), end);
  }
}
