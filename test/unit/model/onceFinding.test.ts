// One problem, one finding (issue 24 item 10): a clash with another cluster's claimed VIP is ip-in-use
// for the cluster without the claim and duplicate-ip for the holder, never both for one cluster; a
// placeholder host is missing-vip alone; an empty VIP written twice is one missing-vip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../../server/src/engine/index';
import { Workspace } from '../../../server/src/engine/workspace';

const cluster = (name: string, host: string) => `---
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: ${name}
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ${host}
`;

test("a VIP equal to another cluster's claimed VIP: one finding per cluster, not duplicate-ip and ip-in-use", () => {
  const ws = new Workspace();
  ws.setFile(
    'file:///w/ipam.yaml',
    `apiVersion: ipam.cluster.x-k8s.io/v1beta2
kind: IPAddress
metadata:
  name: b-control-plane-vip
  namespace: default
  labels:
    cluster.x-k8s.io/cluster-name: b
spec:
  address: 10.0.0.20
  prefix: 24
  claimRef: { name: b-control-plane-vip }
  poolRef: { apiGroup: ipam.cluster.x-k8s.io, kind: GlobalInClusterIPPool, name: vips }
`,
  );
  ws.setFile('file:///w/clusters.yaml', cluster('a', '10.0.0.20') + cluster('b', '10.0.0.20') + cluster('c', '10.0.0.20'));
  const analysis = ws.analyze();
  /** The findings at the cluster's main place (the Cluster's endpoint host). */
  const byCluster = (name: string) => {
    const main = analysis.clusters.find((k) => k.name === name)!.places[0]!;
    return analysis.findings
      .filter((f) => ['duplicate-ip', 'ip-in-use'].includes(f.code) && f.uri === main.uri && f.span.start === main.span.start)
      .map((f) => `${f.code}: ${f.message}`);
  };
  assert.deepEqual(byCluster('a'), [
    'duplicate-ip: 10.0.0.20 is also the VIP of cluster default/c: two clusters would fight over the address.',
    'ip-in-use: 10.0.0.20 is allocated to IPAddressClaim default/b-control-plane-vip of cluster b (pool GlobalInClusterIPPool vips).',
  ]);
  assert.deepEqual(byCluster('b'), [
    'duplicate-ip: 10.0.0.20 is also the VIP of 2 other clusters (default/a, default/c): they would all fight over the address.',
  ]);
});

test('host: "TODO" is missing-vip alone; an empty VIP in the Cluster and the VSphereCluster is one finding', () => {
  const ws = new Workspace();
  ws.setFile(
    'file:///w/todo.yaml',
    `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: todo
  namespace: default
spec:
  controlPlaneEndpoint:
    host: "TODO"
  infrastructureRef:
    kind: VSphereCluster
    name: todo
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata:
  name: todo
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ""
`,
  );
  assert.deepEqual(
    ws.analyze().findings.map((f) => [f.code, f.message, f.related?.map((r) => r.message)]),
    [
      [
        'missing-vip',
        'Cluster default/todo has no control-plane VIP yet (Cluster todo .spec.controlPlaneEndpoint.host).',
        ['VSphereCluster todo .spec.controlPlaneEndpoint.host: empty'],
      ],
    ],
  );
});

const kcp = (sans: string) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: w
  namespace: default
spec:
  controlPlaneEndpoint:
    host: 10.0.0.20
  controlPlaneRef:
    kind: KubeadmControlPlane
    name: w
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: w
  namespace: default
spec:
  kubeadmConfigSpec:
    clusterConfiguration:
      apiServer:
        certSANs:${sans}
---
apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: GlobalInClusterIPPool
metadata:
  name: vips
spec:
  addresses: [10.0.0.10-10.0.0.50]
  prefix: 24
`;

for (const [shape, sans, removed] of [
  [
    'block',
    '\n          - 10.0.0.20\n          - 10.0.0.17 # old VIP\n          - api.example.com\n',
    '\n          - 10.0.0.20\n          - api.example.com\n',
  ],
  ['flow', ' [10.0.0.17, 10.0.0.20]\n', ' [10.0.0.20]\n'],
  ['flow, last', ' [10.0.0.20, 10.0.0.17]\n', ' [10.0.0.20]\n'],
] as const)
  test(`stale certSAN with the VIP listed already (${shape}): the fix removes it instead of writing the VIP twice`, () => {
    const uri = 'file:///w/w.yaml';
    const ws = new Workspace();
    ws.setFile(uri, kcp(sans));
    const stale = ws.analyze().findings.filter((f) => f.code === 'stale-certsan');
    assert.equal(stale.length, 1);
    const fixes = ws.fixesAt(uri, stale[0]!.span.start, stale[0]!.span.end).filter((f) => f.resolves.includes(stale[0]!));
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Remove stale certSAN 10.0.0.17 (the VIP 10.0.0.20 is listed already)'],
    );
    assert.equal(applyEdits(new Map([[uri, kcp(sans)]]), fixes[0]!.edits).get(uri), kcp(removed));
  });
