// BENCHMARKS.md is made of sections, one per benchmark script; each script replaces only its own.
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TARGET = join(import.meta.dirname ?? '.', '..', 'BENCHMARKS.md');
const ORDER = ['## Engine', '## Against the peer', '## Allocation'];

export const machine = () =>
  `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}`;

/** The 1-minute load average now: other work on the machine slows both sides of a ratio, not always equally. */
export const load = () => loadavg()[0]!.toFixed(1);

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** Replaces the section starting with `heading` (up to the next `## `) and keeps the others in ORDER. */
export function writeSection(heading: string, body: string): void {
  let previous = '';
  try {
    previous = readFileSync(TARGET, 'utf8');
  } catch {
    /* first run */
  }
  const parts = previous.split(/\n(?=## )/);
  const intro = parts[0]!.startsWith('## ') ? '# Benchmarks\n' : parts.shift()!;
  const sections = new Map(parts.map((p) => [p.slice(0, p.indexOf('\n')).trim(), p.trimEnd()]));
  for (const k of [...sections.keys()]) if (k.startsWith(heading)) sections.delete(k);
  sections.set(heading, `${heading}\n\n${body.trim()}`);
  const rank = (k: string) => {
    const i = ORDER.findIndex((o) => k.startsWith(o));
    return i < 0 ? ORDER.length : i;
  };
  const ordered = [...sections.entries()].sort((a, b) => rank(a[0]) - rank(b[0])).map(([, v]) => v);
  writeFileSync(TARGET, [intro.trimEnd(), ...ordered].join('\n\n') + '\n');
}
