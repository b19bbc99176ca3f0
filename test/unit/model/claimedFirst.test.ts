// After a place of an allocated cluster is cleared, the address its claim holds is offered first
// (quick fix and completion); the `excludeAddresses` typo is renamed by a quick fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, type Fix } from '../../../server/src/engine/index';
import { Workspace } from '../../../server/src/engine/workspace';

const files = {
  'file:///w/pool.yaml': `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: GlobalInClusterIPPool
metadata:
  name: vips
spec:
  addresses: ["10.0.0.10-10.0.0.50"]
  prefix: 24
  gateway: 10.0.0.1
---
apiVersion: ipam.cluster.x-k8s.io/v1beta2
kind: IPAddress
metadata:
  name: prod-control-plane-vip
  namespace: default
spec:
  address: 10.0.0.20
  prefix: 24
  claimRef:
    name: prod-control-plane-vip
  poolRef:
    apiGroup: ipam.cluster.x-k8s.io
    kind: GlobalInClusterIPPool
    name: vips
`,
  'file:///w/prod.yaml': `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: prod
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ""
  infrastructureRef:
    kind: VSphereCluster
    name: prod
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata:
  name: prod
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ""
`,
};

/** Every fix of every finding (code actions ask per range; here all ranges at once), each once. */
function allFixes(ws: Workspace): Fix[] {
  const seen = new Map<string, Fix>();
  for (const f of ws.analyze().findings)
    for (const fix of ws.fixesAt(f.uri, f.span.start, f.span.end)) seen.set(`${fix.title}|${JSON.stringify(fix.edits)}`, fix);
  return [...seen.values()];
}

function workspace(extra: Record<string, string> = {}) {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries({ ...files, ...extra })) ws.setFile(uri, text);
  return ws;
}

test('a cleared place: the quick fix offers the claimed address first, preferred, and writes it everywhere', () => {
  const ws = workspace();
  const a = ws.analyze();
  const missing = a.findings.filter((f) => f.code === 'missing-vip');
  // One problem, one finding: the empty host of the Cluster and of the VSphereCluster, at the Cluster's, the other related.
  assert.deepEqual(
    missing.map((f) => [f.message, f.related?.map((r) => r.message)]),
    [
      [
        'Cluster default/prod has no control-plane VIP yet (Cluster prod .spec.controlPlaneEndpoint.host).',
        ['VSphereCluster prod .spec.controlPlaneEndpoint.host: empty'],
      ],
    ],
  );
  const fixes = allFixes(ws).filter((f) => f.resolves.some((r) => missing.includes(r)));
  assert.deepEqual(
    fixes.map((f) => `${f.title}${f.preferred ? ' *' : ''}`),
    [
      'Use 10.0.0.20, the address IPAddressClaim default/prod-control-plane-vip holds *',
      'Use next free address of pool vips: 10.0.0.10 (not reserved · VIP pool)',
    ],
  );
  const text = applyEdits(new Map([['file:///w/prod.yaml', ws.text('file:///w/prod.yaml')!]]), fixes[0]!.edits).get('file:///w/prod.yaml')!;
  assert.equal(text.match(/host: "10\.0\.0\.20"/g)?.length, 2);
});

test("completion in a cleared place offers the claimed address first, then the pools' next free ones", () => {
  const ws = workspace();
  const text = ws.text('file:///w/prod.yaml')!;
  const offset = text.indexOf('host: ""') + 'host: "'.length;
  const items = ws.host
    .snapshot()
    .completion('file:///w/prod.yaml', offset)
    .sort((x, y) => x.sortText.localeCompare(y.sortText));
  assert.deepEqual(
    items.slice(0, 3).map((i) => `${i.address} ${i.detail}`),
    [
      '10.0.0.20 held by IPAddressClaim default/prod-control-plane-vip',
      '10.0.0.10 GlobalInClusterIPPool vips · 1/41 used · VIP pool · workspace pool (not reserved)',
      '10.0.0.11 GlobalInClusterIPPool vips · 1/41 used · VIP pool · workspace pool (not reserved)',
    ],
  );
});

test('a mismatch: "use the claimed address" is the first, preferred choice', () => {
  const [cluster, infra] = files['file:///w/prod.yaml'].split('---\n');
  const ws = workspace({ 'file:///w/prod.yaml': `${cluster!.replace('host: ""', 'host: 10.0.0.20')}---\n${infra!.replace('host: ""', 'host: 10.0.0.33')}` });
  const titles = allFixes(ws)
    .filter((f) => f.resolves.some((r) => r.code === 'vip-mismatch'))
    .map((f) => `${f.title}${f.preferred ? ' *' : ''}`);
  assert.equal(titles[0], 'Make VIP consistent: use 10.0.0.20 (its claim holds it) *');
  assert.equal(new Set(titles).size, titles.length, 'each address once');
});

const typoPool = (more = '') => `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: InClusterIPPool
metadata:
  name: lab
  namespace: lab
spec:
  addresses: ["10.0.3.10-10.0.3.40"]
  prefix: 24
  excludeAddresses:
    - 10.0.3.20
${more}`;

test('the excludeAddresses typo: a quick fix renames exactly the key', () => {
  const ws = new Workspace();
  ws.setFile('file:///w/lab.yaml', typoPool());
  const a = ws.analyze();
  const typo = a.findings.find((f) => f.code === 'invalid-pool' && /excludeAddresses/.test(f.message))!;
  assert.equal(ws.text('file:///w/lab.yaml')!.slice(typo.span.start, typo.span.end), 'excludeAddresses');
  const [fix, ...rest] = allFixes(ws).filter((f) => f.resolves.includes(typo));
  assert.equal(rest.length, 0);
  assert.equal(fix!.title, 'Rename to `excludedAddresses`');
  const fixed = applyEdits(new Map([['file:///w/lab.yaml', ws.text('file:///w/lab.yaml')!]]), fix!.edits).get('file:///w/lab.yaml')!;
  assert.equal(fixed, typoPool().replace('excludeAddresses:', 'excludedAddresses:'));
  ws.setFile('file:///w/lab.yaml', fixed);
  assert.deepEqual(
    ws.analyze().findings.map((f) => f.code),
    [],
  );
});

test('no rename when the right key is there too (it would be duplicated)', () => {
  const ws = new Workspace();
  ws.setFile('file:///w/lab.yaml', typoPool('  excludedAddresses: []\n'));
  const a = ws.analyze();
  assert.ok(a.findings.some((f) => /excludeAddresses/.test(f.message)));
  assert.deepEqual(
    allFixes(ws).map((f) => f.title),
    [],
  );
});
