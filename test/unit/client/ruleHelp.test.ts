// Rule help offline: every rule code has its README section, and a diagnostic's code links to the
// command that shows it (never to a web page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RULES } from '../../../server/src/engine/rules/index';
import { ruleHelp } from '../../../server/src/lsp/edits';
import { ruleSection } from '../../../client/src/ruleSection';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test('every rule has a README section that the help command extracts', () => {
  for (const { code } of RULES) {
    const section = ruleSection(readme, code);
    assert.ok(section, code);
    assert.ok(section.startsWith(`#### rule-${code}\n`), code);
    assert.doesNotMatch(section.slice(1), /\n#{1,4} /, `${code}: one section only`);
  }
  assert.equal(ruleSection(readme, 'no-such-rule'), undefined);
});

test('diagnostic codes link to the offline help command', () => {
  assert.equal(ruleHelp('vip-mismatch'), 'command:capiIpam.showRuleHelp?%5B%22vip-mismatch%22%5D');
});
