// The other address sources live (issue 23), on both backends: the CRDs the real stack installs
// (test/realstack/crds/address-sources.yaml) and the sandbox's kinds serve the same objects; the
// language server, over stdio, watches them and answers the Pools and ranges views and diagnostics.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { LspClient } from '../support/lspClient';
import { KubeVipRangesRequest, type KubeVipRangeView, PoolsRequest, type PoolView } from '../../server/src/protocol';

const G = 'ipam.cluster.x-k8s.io';
const objects = [
  {
    apiVersion: 'ipam.metal3.io/v1alpha1',
    kind: 'IPPool',
    metadata: { name: 'bm-nodes', namespace: 'default' },
    spec: {
      clusterName: 'bm',
      pools: [{ start: '10.90.0.10', end: '10.90.0.19', subnet: '10.90.0.0/24' }],
      prefix: 24,
      preAllocations: { 'bm-cp-0': '10.90.0.10' },
    },
  },
  {
    apiVersion: `${G}/v1alpha2`,
    kind: 'InClusterPrefixPool',
    metadata: { name: 'pods-v6', namespace: 'default' },
    spec: { prefixes: ['fd00:90::/62'], allocationPrefixLength: 64 },
  },
  {
    apiVersion: `${G}/v1alpha1`,
    kind: 'InfobloxIPPool',
    metadata: { name: 'ib', namespace: 'default' },
    spec: { instance: { name: 'prod' }, networkView: 'default' },
  },
  {
    apiVersion: `${G}/v1beta2`,
    kind: 'IPAddress',
    metadata: { name: 'ib-one', namespace: 'default' },
    spec: { address: '10.91.0.5', prefix: 24, claimRef: { name: 'ib-one' }, poolRef: { apiGroup: G, kind: 'InfobloxIPPool', name: 'ib' } },
  },
  {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha1',
    kind: 'ProxmoxCluster',
    metadata: { name: 'pve', namespace: 'default' },
    spec: { controlPlaneEndpoint: { host: '10.92.0.100', port: 6443 }, ipv4Config: { addresses: ['10.92.0.10-10.92.0.13'], prefix: 24, gateway: '10.92.0.1' } },
  },
  {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachineDeployment',
    metadata: { name: 'pve-md', namespace: 'default' },
    spec: {
      clusterName: 'pve',
      replicas: 4,
      template: {
        spec: { clusterName: 'pve', infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'ProxmoxMachineTemplate', name: 'pve-md' } },
      },
    },
  },
  { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'lb', namespace: 'default' }, spec: { addresses: ['10.93.0.0/30'] } },
  { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name: 'blue' }, spec: { blocks: [{ start: '10.94.0.1', stop: '10.94.0.3' }] } },
];

const started: { b: Backend; lsp?: LspClient }[] = [];
after(async () => {
  for (const s of started) {
    await s.lsp?.stop();
    await s.b.stop();
  }
});

for (const { name, skip } of backendNames()) {
  test(`other address sources live on the ${name} backend: pools, node ranges, LB pools, rollouts`, { skip, timeout: 300_000 }, async () => {
    const b = await startBackend(name);
    const s: { b: Backend; lsp?: LspClient } = { b };
    started.push(s);
    for (const o of objects) await b.create(o);
    const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-sources-'));
    // A cluster whose VIP lies in the live Metal3 pool: a node pool.
    const file = join(dir, 'cluster.yaml');
    writeFileSync(
      file,
      'apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: bm\n  namespace: default\nspec:\n  controlPlaneEndpoint:\n    host: 10.90.0.15\n    port: 6443\n',
    );
    const lsp = (s.lsp = await LspClient.start({ folder: dir, settings: { kubeconfig: b.kubeconfigPath } }));
    await lsp.waitForState('connected', 60_000);
    const pools = await lsp.untilInventory(
      async () => {
        const list = await lsp.request<PoolView[]>(PoolsRequest);
        return list.length >= 4 && list;
      },
      30_000,
      'the source pools',
    );
    assert.deepEqual(
      pools
        .map(
          (p) =>
            `${p.kind} ${p.name} used ${p.used} of ${p.total}${p.managedBy ? ` managed by ${p.managedBy}` : ''}${p.role ? ` ${p.role}` : ''}${p.freeAfterRollout ? ` after ${p.freeAfterRollout}` : ''}`,
        )
        .sort(),
      [
        'InClusterPrefixPool pods-v6 used 0 of 4',
        'InfobloxIPPool ib used 1 of 0 managed by Infoblox',
        'IPPool bm-nodes used 2 of 10 node',
        'ProxmoxCluster pve ipv4Config used 0 of 4 node after -1',
      ].sort(),
    );
    const uri = pathToFileURL(file).href;
    const [d] = await lsp.waitForDiagnostic(uri, 'vip-in-node-pool', 30_000);
    assert.equal(
      d!.message,
      "10.90.0.15 lies in the node pool IPPool default/bm-nodes: the IPAM provider can hand it to a machine, which then answers on the VIP. Keep the VIP outside the nodes' range.",
    );
    const ranges = await lsp.request<KubeVipRangeView[]>(KubeVipRangesRequest);
    assert.deepEqual(
      ranges.map((r) => `${r.provider} ${r.configMap} ${r.entry} ${r.size}`),
      ['MetalLB IPAddressPool default/lb 10.93.0.0/30 4', 'Cilium LB-IPAM CiliumLoadBalancerIPPool blue 10.94.0.1-10.94.0.3 3'],
    );
  });
}
