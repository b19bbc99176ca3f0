// Every rule's annotated fixtures (server/src/engine/rules/fixtures/<code>/): the findings each file
// must give, marked under their ranges, and the file a quick fix must leave (test/support/ruleFixtures.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../../../server/src/engine/rules/index';
import { checkDiagnostics, checkFix, hasFix } from '../../support/ruleFixtures';

const ROOT = fileURLToPath(new URL('../../../server/src/engine/rules/fixtures/', import.meta.url));
const folders = readdirSync(ROOT).sort();

for (const code of folders) {
  for (const name of readdirSync(join(ROOT, code)).sort()) {
    const path = join(ROOT, code, name);
    test(`${code}/${name}`, () => {
      checkDiagnostics(path);
      if (!name.endsWith('.fixed.yaml') && hasFix(path)) checkFix(path);
    });
  }
}

test('every rule has fixtures: one where it reports, one where it stays quiet, and one per fix it offers', () => {
  assert.deepEqual(folders, RULES.map((r) => r.code).sort(), 'one folder per rule code');
  for (const r of RULES) {
    const files = readdirSync(join(ROOT, r.code)).map((n) => ({ n, text: readFileSync(join(ROOT, r.code, n), 'utf8') }));
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
