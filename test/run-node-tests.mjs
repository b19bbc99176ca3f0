// Runs node:test files (*.test.ts) given, or found under the given folders, through tsx.
// Node 20's --test does not expand globs, so the files are listed here.
// Every skip (and todo) is checked against test/expected-skips.txt: any other one fails the run,
// so that a test that quietly stopped running is never counted as a pass.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  if (statSync(dir).isFile()) return [dir];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** The reasons test/expected-skips.txt allows: exact, or a prefix when the line ends in `*`. */
function expectedSkips() {
  const lines = readFileSync(new URL('./expected-skips.txt', import.meta.url), 'utf8').split(/\r?\n/);
  const patterns = lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return (reason) => reason !== '' && patterns.some((p) => (p.endsWith('*') ? reason.startsWith(p.slice(0, -1)) : reason === p));
}

const dirs = process.argv.slice(2);
const files = dirs.flatMap((d) => collect(d));
if (files.length === 0) {
  console.error(`no test files under ${dirs.join(', ')}`);
  process.exit(1);
}
const tmp = mkdtempSync(join(tmpdir(), 'capi-ipam-skips-'));
const skipsFile = join(tmp, 'skips.jsonl');
const reporter = process.stdout.isTTY ? 'spec' : 'tap';
const r = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    `--test-reporter=${reporter}`,
    '--test-reporter-destination=stdout',
    `--test-reporter=${new URL('./support/skipReporter.mjs', import.meta.url).href}`,
    `--test-reporter-destination=${skipsFile}`,
    ...files,
  ],
  { stdio: 'inherit' },
);
let skips = [];
try {
  skips = readFileSync(skipsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
} catch {
  /* no skips written: none happened, or the run died (its status says so) */
}
rmSync(tmp, { recursive: true, force: true });
const allowed = expectedSkips();
const unexpected = skips.filter((s) => s.kind !== 'skip' || !allowed(s.reason));
const counts = new Map();
for (const s of skips.filter((x) => !unexpected.includes(x))) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
if (counts.size) console.error(`\nskipped, as test/expected-skips.txt allows:\n${[...counts].map(([why, n]) => `  ${n} × ${why}`).join('\n')}`);
if (unexpected.length) {
  console.error(
    `\nUNEXPECTED SKIPS (not in test/expected-skips.txt), the run fails:\n${unexpected.map((s) => `  ${s.kind} "${s.name}" (${s.file}): ${s.reason || 'no reason given'}`).join('\n')}`,
  );
  process.exit(r.status || 1);
}
process.exit(r.status ?? 1);
