// Findings grow linearly: N clusters sharing one VIP, or N pools over one subnet, give one finding
// per cluster or pool, each naming at most RELATED_CAP others ("and 989 more"), not N² findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { RELATED_CAP } from '../../../server/src/engine/rules/context';

const cluster = (i: number) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: c${i}
  namespace: default
spec:
  controlPlaneEndpoint:
    host: 10.0.0.10
  infrastructureRef:
    kind: VSphereCluster
    name: c${i}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata:
  name: c${i}
  namespace: default
spec:
  controlPlaneEndpoint:
    host: 10.0.0.10
`;

const pool = (i: number) => `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: GlobalInClusterIPPool
metadata:
  name: p${i}
spec:
  addresses: [10.1.0.0/24]
  prefix: 24
`;

function findings(docs: string[], code: string) {
  const ws = new Workspace();
  ws.setFile('f.yaml', docs.join('---\n'));
  return ws.analyze().findings.filter((f) => f.code === code);
}

const size = (fs: unknown[]) => JSON.stringify(fs).length;

test('1,000 clusters sharing a VIP (two places each): one duplicate-ip per cluster, at its Cluster endpoint, related info capped', () => {
  const n = 1000;
  const docs = Array.from({ length: n }, (_, i) => cluster(i));
  const dup = findings(docs, 'duplicate-ip');
  assert.equal(dup.length, n);
  const text = docs.join('---\n');
  for (const f of dup) {
    assert.equal(text.slice(f.span.start, f.span.end), '10.0.0.10');
    assert.equal(f.related!.length, RELATED_CAP + 1); // RELATED_CAP other clusters + the cluster's own other place
    assert.match(f.message, /^10\.0\.0\.10 is also the VIP of 999 other clusters \(default\/c\d+, .* and 989 more\)/);
  }
  // The cluster's own other place is related information, not a second finding.
  assert.match(dup[0]!.related!.at(-1)!.message, /^also 10\.0\.0\.10 here: VSphereCluster c0/);
  // Twice the clusters, twice the output (give or take the digits of longer names), not four times.
  const twice = findings(
    Array.from({ length: 2 * n }, (_, i) => cluster(i)),
    'duplicate-ip',
  );
  assert.equal(twice.length, 2 * n);
  assert.ok(size(twice) < 2.2 * size(dup), `${size(twice)} vs ${size(dup)}`);
});

test('1,000 pools over one subnet: one overlap warning per pool, related info capped', () => {
  const n = 1000;
  const overlaps = findings(
    Array.from({ length: n }, (_, i) => pool(i)),
    'invalid-pool',
  );
  assert.equal(overlaps.length, n);
  for (const f of overlaps) {
    assert.ok(f.related!.length <= RELATED_CAP);
    assert.match(
      f.message,
      /overlaps GlobalInClusterIPPool p\d+ \(254 addresses, e\.g\. 10\.1\.0\.1-10\.1\.0\.254\).* one of 1000 pools linked by overlaps: .* and 988 more\.$/,
    );
  }
  const twice = findings(
    Array.from({ length: 2 * n }, (_, i) => pool(i)),
    'invalid-pool',
  );
  assert.equal(twice.length, 2 * n);
  assert.ok(size(twice) < 2.2 * size(overlaps), `${size(twice)} vs ${size(overlaps)}`);
});

test('two overlapping pools: each names the other, as before', () => {
  const [a, b] = findings([pool(1), pool(2)], 'invalid-pool');
  assert.match(a!.message, /^GlobalInClusterIPPool p1 overlaps GlobalInClusterIPPool p2 \(254 addresses.*from both\.$/);
  assert.match(b!.message, /^GlobalInClusterIPPool p2 overlaps GlobalInClusterIPPool p1 /);
});

test("code actions at one of 1,000 clusters sharing a VIP are that cluster's only, and find it by position", () => {
  const pools = `apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: GlobalInClusterIPPool\nmetadata:\n  name: vips\nspec:\n  addresses: [10.0.0.0/16]\n  prefix: 16\n`;
  const text = [pools, ...Array.from({ length: 1000 }, (_, i) => cluster(i))].join('---\n');
  const ws = new Workspace();
  ws.setFile('f.yaml', text);
  const c500 = text.indexOf('name: c500\n');
  const at = text.indexOf('10.0.0.10', c500);
  const fixes = ws.fixesAt('f.yaml', at, at);
  assert.deepEqual(
    fixes.map((f) => f.title),
    ['Use next free address of pool vips: 10.0.0.1 (not reserved · VIP pool)'],
  );
  // The edits touch cluster c500's two places and nothing else.
  const next = text.indexOf('name: c501\n');
  assert.deepEqual(
    fixes[0]!.edits.map((e) => [text.slice(e.span.start, e.span.end), c500 < e.span.start && e.span.end < next]),
    [
      ['10.0.0.10', true],
      ['10.0.0.10', true],
    ],
  );
  assert.equal(ws.clusterAt('f.yaml', at)?.name, 'c500');
  assert.equal(ws.clusterAt('f.yaml', c500)?.name, 'c500');
  assert.deepEqual(ws.fixesAt('f.yaml', c500, c500), []);
});
