// The registry is the one list of rules: README's rule sections are generated from it (`npm run docs`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RULES } from '../../server/src/engine/rules/index';
import { README, withRuleDocs } from '../tools/docs';

test('README.md has the rule sections the registry generates (run `npm run docs` after changing a rule)', () => {
  const readme = readFileSync(README, 'utf8');
  assert.equal(readme, withRuleDocs(readme));
});

test('every rule has one code, its severities, a one-line summary and docs', () => {
  assert.equal(new Set(RULES.map((r) => r.code)).size, RULES.length);
  for (const r of RULES) {
    assert.match(r.code, /^[a-z]+(-[a-z]+)*$/, r.code);
    assert.ok(r.severities.length > 0, r.code);
    assert.ok(r.summary.length > 0 && !r.summary.includes('\n'), r.code);
    assert.ok(r.docs.trim().length > 0 && !/^#/m.test(r.docs), `${r.code}: docs are a section body, without headings`);
    // Findings in files come from cluster or check (never both); a rule about live objects alone has only its estate hook.
    assert.ok(!(r.check && r.cluster) && (r.check || r.cluster || ('estate' in r && r.estate)), `${r.code}: cluster, check or estate alone`);
  }
});
