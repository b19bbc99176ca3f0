// test/run-node-tests.mjs counts no skip as a pass: a skip whose reason test/expected-skips.txt does
// not list, or a todo, fails the run, and the allowed ones are summed up by reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Without NODE_TEST_CONTEXT, which this test's own runner sets: the child runs as `npm test` would.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
const run = (dir: string) => spawnSync(process.execPath, ['test/run-node-tests.mjs', dir], { cwd: root, encoding: 'utf8', env });

test('skips that test/expected-skips.txt allows pass the run, and are counted by reason', () => {
  const r = run('test/fixtures/skips/allowed');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /skipped, as test\/expected-skips.txt allows:\n {2}1 × real lane NOT RUN: no Go toolchain found/);
});

test('any other skip, and a todo, fail the run and are named', () => {
  const r = run('test/fixtures/skips/unexpected');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /UNEXPECTED SKIPS \(not in test\/expected-skips.txt\), the run fails:/);
  assert.match(r.stderr, /skip "a test someone switched off" \(.*unexpected\.test\.ts\): flaky, look later/);
  assert.match(r.stderr, /todo "a test nobody wrote" \(.*unexpected\.test\.ts\): no reason given/);
});
