// The bundled CLI (dist/cli.js) as a user runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';
import { copyExamples } from '../support/workspaceCopy';

const CLI = join(ROOT, 'dist', 'cli.js');
const run = (args: string[], cwd = ROOT) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

test('check: compiler-style lines with rule codes, exit 1 on errors', () => {
  const r = run(['check', 'examples']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^examples\/clusters\/prod\.yaml:\d+:\d+: error \[vip-mismatch\] /m);
  assert.match(r.stdout, /examples\/clusters\/staging\.yaml:31:11: error \[duplicate-ip\]/);
  assert.match(r.stdout, /3 error\(s\), 4 warning\(s\), 2 note\(s\) in 8 file\(s\)/);
  assert.equal(run(['check', 'examples', '--fail-on', 'none']).status, 0);
  assert.equal(run(['check', 'examples/clusters/dev.yaml', 'examples/ipam']).status, 0);
  assert.equal(run(['check', 'examples/ipam', '--fail-on', 'warning']).status, 1);
});

test('check --format json and sarif', () => {
  const json = JSON.parse(run(['check', 'examples', '--format', 'json']).stdout) as { file: string; line: number; code: string }[];
  assert.ok(json.some((f) => f.code === 'stale-certsan' && f.file === 'examples/clusters/prod.yaml' && f.line === 60));
  const sarif = JSON.parse(run(['check', 'examples', '--format', 'sarif']).stdout);
  assert.equal(sarif.version, '2.1.0');
  const results = sarif.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
  assert.ok(results.some((x) => x.ruleId === 'vip-mismatch' && x.level === 'error'));
  const rule = sarif.runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 'duplicate-ip');
  assert.equal(rule.shortDescription.text, 'Two clusters share a VIP, or a VIP equals a LoadBalancer Service IP.');
  assert.equal(JSON.stringify(sarif).includes('github.com/capi-ipam'), false, 'no link to a repository that does not exist');
});

test('usage errors exit 2 with a message', () => {
  const r = run(['check', '--format', 'xml']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown --format xml/);
  assert.equal(run(['frobnicate']).status, 2);
  assert.equal(run(['check', 'no/such/dir']).status, 2);
});

test('pools: kubectl-like columns plus the first free address', () => {
  const r = run(['pools', 'examples']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^NAME\s+KIND\s+ADDRESSES\s+TOTAL\s+FREE\s+USED\s+FIRST FREE$/m);
  assert.match(r.stdout, /^vip-pool\s+GlobalInClusterIPPool\s+\["10\.10\.0\.16-10\.10\.0\.63"\]\s+42\s+37\s+5\s+10\.10\.0\.16$/m);
});

test('allocate --offline writes the next free address into every VIP place and says nothing reserves it', () => {
  const ws = copyExamples();
  try {
    const r = run(['allocate', 'clusters/lab.yaml', 'ipam/pools.yaml', '--cluster', 'lab', '--pool', 'lab-pool', '--offline'], ws.dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '10.10.3.10');
    assert.match(r.stderr, /nothing reserves this address/);
    const text = readFileSync(join(ws.dir, 'clusters/lab.yaml'), 'utf8');
    assert.equal(text.match(/10\.10\.3\.10/g)?.length, 4);
    const again = run(['check', 'clusters/lab.yaml', 'ipam/pools.yaml'], ws.dir);
    assert.doesNotMatch(again.stdout, /clusters\/lab\.yaml/);
    const missing = run(['allocate', 'clusters/lab.yaml', '--cluster', 'nope', '--offline'], ws.dir);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no cluster nope/);
  } finally {
    ws.dispose();
  }
});
