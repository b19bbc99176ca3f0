// Every rule's annotated fixtures (server/src/engine/rules/fixtures/<code>/): the findings each file
// must give, marked under their ranges, and the file a quick fix must leave (test/support/ruleFixtures.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../../../server/src/engine/rules/index';
import { checkDiagnostics, checkFix, hasFix } from '../../support/ruleFixtures';

const ROOT = fileURLToPath(new URL('../../../server/src/engine/rules/fixtures/', import.meta.url));
const folders = readdirSync(ROOT).sort();

for (const code of folders) {
  for (const name of readdirSync(join(ROOT, code)).sort()) {
    if (name.endsWith('.json')) continue; // a fixture's live estate (`# fixture: estate FILE`), not a fixture
    const path = join(ROOT, code, name);
    test(`${code}/${name}`, () => {
      checkDiagnostics(path);
      if (!name.endsWith('.fixed.yaml') && hasFix(path)) checkFix(path);
    });
  }
}

// A rule about live objects alone (only an `estate` hook) has no file to report in: test/unit/estate covers it.
const FILE_RULES = RULES.filter((r) => r.check || r.cluster);

test('every rule that reports in files has fixtures: one where it reports, one where it stays quiet, and one per fix it offers', () => {
  assert.deepEqual(folders, FILE_RULES.map((r) => r.code).sort(), 'one folder per rule code');
  for (const r of FILE_RULES) {
    const files = readdirSync(join(ROOT, r.code))
      .filter((n) => !n.endsWith('.json'))
      .map((n) => ({ n, text: readFileSync(join(ROOT, r.code, n), 'utf8') }));
    const marks = (t: string) => new RegExp(`^\\s*#\\s*[\\^|]+ (error|warning|info|hint) ${r.code}:`, 'm').test(t);
    assert.ok(
      files.some((f) => marks(f.text)),
      `${r.code}: a fixture where it reports`,
    );
    assert.ok(
      files.some((f) => !f.n.endsWith('.fixed.yaml') && !marks(f.text)),
      `${r.code}: a fixture where it reports nothing`,
    );
    if (r.fixes)
      assert.ok(
        files.some((f) => f.n.endsWith('.fixed.yaml')),
        `${r.code}: a fixture of its fix`,
      );
  }
});

test('the fixture check fails on a finding not marked, a marker not found, and a fix that leaves another file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-fixture-'));
  const source = readFileSync(join(ROOT, 'vip-mismatch', 'kube-vip-differs.yaml'), 'utf8');
  const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  const unmarked = write('unmarked.yaml', source.replace(/^\s*# \^+ error vip-mismatch:.*\n/m, ''));
  assert.throws(() => checkDiagnostics(unmarked), /found but not marked:\n {4}under line \d+: +# \^{10} error vip-mismatch: VIP mismatch/);
  const wrong = write('wrong.yaml', source.replace('error vip-mismatch: VIP mismatch', 'error vip-mismatch: VIP agreement'));
  assert.throws(() => checkDiagnostics(wrong), /marked but not found:[\s\S]*VIP agreement[\s\S]*found but not marked/);
  const fix = write('fix.yaml', source);
  write('fix.fixed.yaml', source);
  assert.throws(() => checkFix(fix), /"Make VIP consistent: use 10\.10\.0\.30" applied/);
});
