// Offsets ↔ 0-based line/character (UTF-16, as LSP and JS strings count). Lines end as LSP ends
// them: at `\r\n`, `\r` or `\n` (not at U+2028/U+2029). The one line index of the server and CLI.
export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  /** Built on every change of a text: `indexOf` (native) finds the breaks, not a loop over every character. */
  constructor(private readonly text: string) {
    if (!text.includes('\r')) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    let n = text.indexOf('\n');
    let r = text.indexOf('\r');
    while (n >= 0 || r >= 0) {
      if (r >= 0 && (n < 0 || r < n)) {
        if (r + 1 !== n) this.starts.push(r + 1); // a lone CR; a CRLF ends at its LF
        r = text.indexOf('\r', r + 1);
      } else {
        this.starts.push(n + 1);
        n = text.indexOf('\n', n + 1);
      }
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
