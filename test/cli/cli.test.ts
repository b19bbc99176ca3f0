// The bundled CLI (dist/cli.js) as a user runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';
import { copyFixture } from '../support/workspaceCopy';

const CLI = join(ROOT, 'dist', 'cli.js');
const run = (args: string[], cwd = ROOT) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

test('check: compiler-style lines with rule codes, exit 1 on errors', () => {
  const r = run(['check', 'test/fixtures/workspace']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^test\/fixtures\/workspace\/clusters\/prod\.yaml:\d+:\d+: error \[vip-mismatch\] /m);
  assert.match(r.stdout, /test\/fixtures\/workspace\/clusters\/staging\.yaml:31:11: error \[duplicate-ip\]/);
  // One problem, one line: staging's duplicate-ip and lb-range-overlap at its VIP's main place only.
  assert.equal(r.stdout.match(/staging\.yaml.*\[(duplicate-ip|lb-range-overlap)\]/g)?.length, 2);
  assert.match(r.stdout, /4 error\(s\), 4 warning\(s\), 1 note\(s\) in 8 file\(s\)/);
  assert.equal(run(['check', 'test/fixtures/workspace', '--fail-on', 'none']).status, 0);
  assert.equal(run(['check', 'test/fixtures/workspace/clusters/dev.yaml', 'test/fixtures/workspace/ipam']).status, 0);
  assert.equal(run(['check', 'test/fixtures/workspace/ipam', '--fail-on', 'warning']).status, 1);
});

test('check --format json and sarif', () => {
  const json = JSON.parse(run(['check', 'test/fixtures/workspace', '--format', 'json']).stdout) as { file: string; line: number; code: string }[];
  assert.ok(json.some((f) => f.code === 'stale-certsan' && f.file === 'test/fixtures/workspace/clusters/prod.yaml' && f.line === 60));
  const sarif = JSON.parse(run(['check', 'test/fixtures/workspace', '--format', 'sarif']).stdout);
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
  const r = run(['pools', 'test/fixtures/workspace']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^NAME\s+KIND\s+ADDRESSES\s+TOTAL\s+FREE\s+USED\s+FIRST FREE$/m);
  assert.match(r.stdout, /^vip-pool\s+GlobalInClusterIPPool\s+\["10\.10\.0\.16-10\.10\.0\.63"\]\s+42\s+37\s+5\s+10\.10\.0\.16$/m);
});

test('pools: a VIP written on an excluded address or the gateway is never "used" of the pool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-excluded-'));
  const cluster = (name: string, host: string) =>
    `---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  controlPlaneEndpoint:\n    host: ${host}\n`;
  writeFileSync(
    join(dir, 'pool.yaml'),
    'apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: GlobalInClusterIPPool\nmetadata:\n  name: vips\nspec:\n  addresses: [10.10.0.1-10.10.0.10]\n  excludedAddresses: [10.10.0.5-10.10.0.8]\n  prefix: 24\n  gateway: 10.10.0.1\n' +
      // Two VIPs the pool can allocate, two on excluded addresses, one on the gateway: 9 allocatable − 2 = 5 free.
      cluster('a', '10.10.0.2') +
      cluster('b', '10.10.0.3') +
      cluster('c', '10.10.0.5') +
      cluster('d', '10.10.0.6') +
      cluster('e', '10.10.0.1'),
  );
  const r = run(['pools', dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^vips +GlobalInClusterIPPool +\["10\.10\.0\.1-10\.10\.0\.10"\] +5 +3 +2 +10\.10\.0\.4$/m);
});

test('allocate --offline writes the next free address into every VIP place and says nothing reserves it', () => {
  const ws = copyFixture();
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

test('unreadable files (a symlink loop, a dangling link) are reported, the rest is checked, exit 2', () => {
  const ws = copyFixture('test/fixtures/workspace/clusters');
  try {
    symlinkSync('loop.yaml', join(ws.dir, 'loop.yaml'));
    symlinkSync('nowhere.yaml', join(ws.dir, 'gone.yaml'));
    const r = run(['check', '.'], ws.dir);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^capi-ipam: loop\.yaml: ELOOP/m);
    assert.match(r.stderr, /^capi-ipam: gone\.yaml: ENOENT/m);
    assert.match(r.stdout, /^prod\.yaml:\d+:\d+: error \[vip-mismatch\] /m, 'the readable files are still checked');
    assert.equal(run(['pools', '.'], ws.dir).status, 2);
  } finally {
    ws.dispose();
  }
});

test('SARIF artifact URIs are percent-encoded relative paths', () => {
  const ws = copyFixture('test/fixtures/workspace/clusters');
  try {
    mkdirSync(join(ws.dir, 'a b'));
    renameSync(join(ws.dir, 'prod.yaml'), join(ws.dir, 'a b', 'prod #1%.yaml'));
    const sarif = JSON.parse(run(['check', '.', '--format', 'sarif'], ws.dir).stdout);
    const uris = new Set(
      sarif.runs[0].results.map(
        (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0]!.physicalLocation.artifactLocation.uri,
      ),
    );
    assert.ok(uris.has('a%20b/prod%20%231%25.yaml'), [...uris].join(', '));
  } finally {
    ws.dispose();
  }
});

test('pools --format xml is a usage error; -h after a command shows the help', () => {
  const xml = run(['pools', 'test/fixtures/workspace', '--format', 'xml']);
  assert.equal(xml.status, 2);
  assert.match(xml.stderr, /unknown --format xml/);
  for (const args of [
    ['check', '-h'],
    ['pools', '--help'],
    ['allocate', '-h'],
  ]) {
    const r = run(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /^Usage:/m);
  }
});

test('prefix: 1e300 and 2.5 are invalid pools', () => {
  const ws = copyFixture('test/fixtures/workspace/ipam');
  try {
    for (const prefix of ['1e300', '2.5']) {
      writeFileSync(
        join(ws.dir, 'bad.yaml'),
        `apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: GlobalInClusterIPPool\nmetadata:\n  name: bad\nspec:\n  addresses: [10.9.0.0/24]\n  prefix: ${prefix}\n`,
      );
      const r = run(['check', 'bad.yaml'], ws.dir);
      assert.equal(r.status, 1);
      assert.match(
        r.stdout,
        /^bad\.yaml:7:11: error \[invalid-pool\] spec\.prefix: .* is not a prefix length: the API server accepts only a whole number \(0 to 128\)$/m,
      );
    }
  } finally {
    ws.dispose();
  }
});

test('an offline check never loads the live bundle; --kubeconfig does', () => {
  // dist/cli.js alone, without dist/cli-live.js beside it: client-node must not be needed offline.
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-cli-'));
  try {
    copyFileSync(CLI, join(dir, 'cli.js'));
    const alone = (args: string[]) => spawnSync(process.execPath, [join(dir, 'cli.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
    const offline = alone(['check', 'test/fixtures/workspace/clusters/dev.yaml', 'test/fixtures/workspace/ipam']);
    assert.equal(offline.status, 0, offline.stderr);
    assert.match(offline.stdout, /0 error\(s\)/);
    const live = alone(['check', 'test/fixtures/workspace/clusters/dev.yaml', '--kubeconfig', join(dir, 'missing')]);
    assert.equal(live.status, 1);
    assert.match(live.stderr, /cli-live\.js/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('text output escapes terminal control sequences and SARIF escapes embedded links, from file content', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-esc-'));
  writeFileSync(
    join(dir, 'c.yaml'),
    `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: "a\\e[2Jb"
  namespace: default
spec:
  controlPlaneEndpoint:
    host: "9.9.9.9[x](https://evil.example)\\u202e"
    port: 6443
  infrastructureRef:
    kind: VSphereCluster
    name: x
`,
  );
  const text = run(['check', 'c.yaml'], dir);
  assert.equal(text.status, 1);
  assert.equal(
    text.stdout.split('\n')[0],
    'c.yaml:8:12: error [invalid-ip] "9.9.9.9[x](https://evil.example)\\u202e" is not a valid IP address (Cluster a\\x1b[2Jb .spec.controlPlaneEndpoint.host): unexpected character',
  );
  const sarif = JSON.parse(run(['check', 'c.yaml', '--format', 'sarif'], dir).stdout);
  assert.equal(
    sarif.runs[0].results[0].message.text,
    '"9.9.9.9\\[x\\](https://evil.example)\u202e" is not a valid IP address (Cluster a\u001b\\[2Jb .spec.controlPlaneEndpoint.host): unexpected character',
  );
});
