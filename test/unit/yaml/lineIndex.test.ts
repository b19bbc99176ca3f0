// The line index (engine/text/positions.ts) breaks lines where LSP does: `\r\n`, lone `\r`, `\n`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/engine/text/positions';

/** Line starts by the definition, one character at a time. */
function starts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) out.push(i + 1);
  }
  return out;
}

test('line starts and positions: LF, CRLF, lone CR, mixed, at the ends, not U+2028', () => {
  const texts = ['', 'a', '\n', '\r', '\r\n', 'a\r\nb\rc\nd', '\r\r\n\n\r', 'x\u2028y\u2029z\n', 'end\r', 'end\r\n', '\n\n\r\n\r\r'];
  for (const text of texts) {
    const idx = new LineIndex(text);
    const want = starts(text);
    want.forEach((s, line) => assert.deepEqual(idx.position(s), { line, character: 0 }, JSON.stringify(text)));
    assert.equal(idx.position(text.length).line, want.length - 1, JSON.stringify(text));
  }
});

test('random mixes of line breaks give the same lines as the definition', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let k = 0; k < 200; k++) {
    const text = Array.from({ length: Math.floor(rnd() * 60) }, () => ['a', '\n', '\r', '\r\n', ' '][Math.floor(rnd() * 5)]).join('');
    const idx = new LineIndex(text);
    const want = starts(text);
    for (let o = 0; o <= text.length; o++) {
      const line = want.filter((s) => s <= o).length - 1;
      assert.deepEqual(idx.position(o), { line, character: o - want[line]! }, `${JSON.stringify(text)} @${o}`);
    }
  }
});
