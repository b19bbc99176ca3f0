// `npm run docs`: writes README's rule sections (between the `rules` markers) from the registry's
// `docs` (server/src/engine/rules/). test/unit/readmeRules.test.ts fails while README and the registry differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rulesMarkdown } from '../../server/src/engine/rules/index';

const START = '<!-- rules: generated from server/src/engine/rules/ by `npm run docs`; edit the rule modules, not this list -->';
const END = '<!-- /rules -->';

export const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** `readme` with the generated rule sections in place of what is between the markers. */
export function withRuleDocs(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} block`);
  return `${readme.slice(0, start + START.length)}\n${rulesMarkdown()}${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const before = readFileSync(README, 'utf8');
  const after = withRuleDocs(before);
  if (after !== before) writeFileSync(README, after);
  console.log(after === before ? 'README.md: rule sections up to date' : 'README.md: rule sections rewritten');
}
