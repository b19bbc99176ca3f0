// Draws the 128×128 gallery icon (resources/icon.png; the Marketplace wants a PNG, not an SVG):
// the activity-bar motif — a pool of address cells, some allocated, one arrow handing out the VIP.
// A minimal PNG encoder (zlib + CRC32) and 4×4 supersampling keep it dependency-free.
// Run: node client/tools/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;
const background = [31, 58, 95];
const frame = [230, 238, 247];
const taken = [94, 196, 140];
const free = [230, 238, 247];

// Shapes in icon coordinates (0..128); each returns true when the point is covered.
const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const ring = (cx, cy, outer, inner) => (x, y) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2;
  return d <= outer * outer && d >= inner * inner;
};
const disc = (cx, cy, r) => ring(cx, cy, r, 0);
const segment = (ax, ay, bx, by, halfWidth) => (x, y) => {
  const vx = bx - ax,
    vy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
  return (x - ax - t * vx) ** 2 + (y - ay - t * vy) ** 2 <= halfWidth * halfWidth;
};
const outline = (outer, inner) => (x, y) => outer(x, y) && !inner(x, y);

const cells = [];
const pitch = 26;
for (let row = 0; row < 3; row++) {
  for (let col = 0; col < 3; col++) {
    const cx = 38 + col * pitch,
      cy = 38 + row * pitch;
    const isTaken = row * 3 + col < 4 && !(row === 0 && col === 2);
    if (row === 2 && col > 0) continue; // room for the arrow
    cells.push([isTaken ? disc(cx, cy, 8) : ring(cx, cy, 8, 5), isTaken ? taken : free]);
  }
}
const layers = [
  [roundedRect(0, 0, 128, 128, 24), background],
  [outline(roundedRect(16, 16, 112, 112, 14), roundedRect(21, 21, 107, 107, 9.5)), frame],
  ...cells,
  [segment(60, 90, 94, 90, 3), taken],
  [segment(82, 78, 94, 90, 3), taken],
  [segment(82, 102, 94, 90, 3), taken],
];

const pixels = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  pixels[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const px = x + (sx + 0.5) / SAMPLES,
          py = y + (sy + 0.5) / SAMPLES;
        let color;
        for (const [covers, c] of layers) if (covers(px, py)) color = c;
        if (color) {
          r += color[0];
          g += color[1];
          b += color[2];
          a += 255;
        }
      }
    }
    const n = SAMPLES * SAMPLES;
    const covered = a / 255;
    const at = y * (SIZE * 4 + 1) + 1 + x * 4;
    pixels[at] = covered ? Math.round(r / covered) : 0;
    pixels[at + 1] = covered ? Math.round(g / covered) : 0;
    pixels[at + 2] = covered ? Math.round(b / covered) : 0;
    pixels[at + 3] = Math.round(a / n);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(pixels, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('../../resources/icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${png.length} bytes)`);
