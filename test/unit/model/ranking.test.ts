// The one pool ranking: the cluster's own choice, VIP pools, other pools, node pools; never a pool
// the cluster's namespace cannot use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { rankPools } from '../../../server/src/engine/ranking';

const pool = (name: string, addresses: string, kind = 'InClusterIPPool', namespace = 'default') => `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  addresses: [${addresses}]
  prefix: 24
---
`;
const cluster = (name: string, host: string, namespace = 'default', annotations = '') => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: ${name}
  namespace: ${namespace}
${annotations}spec:
  controlPlaneEndpoint:
    host: "${host}"
---
`;
const capvTemplate = (poolName: string) => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereMachineTemplate
metadata:
  name: workers
  namespace: default
spec:
  template:
    spec:
      network:
        devices:
          - networkName: vm-network
            addressesFromPools:
              - apiGroup: ipam.cluster.x-k8s.io
                kind: InClusterIPPool
                name: ${poolName}
---
`;
const capmoxTemplate = (poolName: string) => `apiVersion: infrastructure.cluster.x-k8s.io/v1alpha1
kind: ProxmoxMachineTemplate
metadata:
  name: pve-workers
  namespace: default
spec:
  template:
    spec:
      network:
        default:
          ipv4PoolRef:
            apiGroup: ipam.cluster.x-k8s.io
            kind: GlobalInClusterIPPool
            name: ${poolName}
---
`;

function rank(files: string[], name: string, namespace = 'default', defaultPool?: string) {
  const ws = new Workspace();
  files.forEach((text, i) => ws.setFile(`file:///w/${i}.yaml`, text));
  const a = ws.analyze();
  const c = a.clusters.find((x) => x.name === name && x.namespace === namespace)!;
  return rankPools(a, c, { defaultPool }).map((r) => `${r.pool.name}${r.role ? `:${r.role}` : ''}${r.preferred ? ':preferred' : ''}`);
}

const pools = pool('node-pool', '10.0.1.0/24') + pool('other', '10.0.2.10-10.0.2.20') + pool('vip-pool', '10.0.0.10-10.0.0.50');

test("node pools (addressesFromPools of a CAPV machine template) come last, VIP pools (holding other clusters' VIPs) first", () => {
  assert.deepEqual(rank([pools, capvTemplate('node-pool'), cluster('prod', '10.0.0.12') + cluster('new', '')], 'new'), [
    'vip-pool:vip',
    'other',
    'node-pool:node',
  ]);
});

test('a CAPMOX ipv4PoolRef marks a global pool as a node pool', () => {
  const global = pool('pve-nodes', '10.0.5.0/24', 'GlobalInClusterIPPool');
  assert.deepEqual(rank([pools, global, capmoxTemplate('pve-nodes'), cluster('new', '')], 'new'), ['node-pool', 'other', 'vip-pool', 'pve-nodes:node']);
});

test("capiIpam.defaultPool comes first, even before a VIP pool; the cluster's annotation wins over it", () => {
  const files = [pools, capvTemplate('node-pool'), cluster('prod', '10.0.0.12')];
  assert.deepEqual(rank([...files, cluster('new', '')], 'new', 'default', 'other'), ['other:preferred', 'vip-pool:vip', 'node-pool:node']);
  assert.deepEqual(rank([...files, cluster('new', '')], 'new', 'default', 'default/node-pool'), ['node-pool:node:preferred', 'vip-pool:vip', 'other']);
  const annotated = cluster('new', '', 'default', '  annotations:\n    capi-ipam.dev/pool: node-pool\n');
  assert.deepEqual(rank([...files, annotated], 'new', 'default', 'other'), ['node-pool:node:preferred', 'vip-pool:vip', 'other']);
});

test('an InClusterIPPool of another namespace is never offered; a global pool is', () => {
  const files = [pool('lab-pool', '10.0.3.10-10.0.3.40', 'InClusterIPPool', 'lab'), pool('shared', '10.0.4.0/24', 'GlobalInClusterIPPool'), cluster('new', '')];
  assert.deepEqual(rank(files, 'new'), ['shared']);
  assert.deepEqual(rank([...files, cluster('lab', '', 'lab')], 'lab', 'lab'), ['lab-pool', 'shared']);
});

test('a pool the provider would reject is never offered', () => {
  assert.deepEqual(rank([pool('broken', '10.0.0.300') + pool('ok', '10.0.6.0/24'), cluster('new', '')], 'new'), ['ok']);
});

test('node-pool references are read from adversarial templates without blowing up', () => {
  const deep = `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: VSphereMachineTemplate\nmetadata:\n  name: deep\nspec: ${'['.repeat(500)}${']'.repeat(500)}\n---\n`;
  const wide = `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: VSphereMachineTemplate\nmetadata:\n  name: wide\nspec:\n  items: [${Array.from({ length: 50_000 }, (_, i) => i).join(',')}]\n---\n`;
  assert.deepEqual(rank([pools, deep, wide, cluster('new', '')], 'new'), ['node-pool', 'other', 'vip-pool']);
});
