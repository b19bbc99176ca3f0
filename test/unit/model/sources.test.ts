// The other address sources (issue 23) over real YAML modelled on the providers' samples
// (test/fixtures/sources): Metal3 IPPool, CAIP prefix pools, external claim-contract pools,
// ProxmoxCluster node ranges, MetalLB and Cilium LB pools, and the rollout capacity forecast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace } from '../../../server/src/engine/workspace';
import { poolUsage } from '../../../server/src/engine/features/usage';
import { rankPools } from '../../../server/src/engine/ranking';
import { toInventory } from '../../../server/src/live/convert';
import { parse } from 'yaml';
import { allocationChoices } from '../../../server/src/engine/features/allocation';
import { claimObject } from '../../../server/src/engine/claimDocument';

const dir = join(__dirname, '../../fixtures/sources');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');

function analyze(names: string[]) {
  const ws = new Workspace();
  const files = Object.fromEntries(names.map((n) => [n, read(n)]));
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  const a = ws.analyze();
  const at = (f: { uri: string; span: { start: number; end: number } }) => files[f.uri]!.slice(f.span.start, f.span.end);
  return { ws, a, at, findings: (code: string) => a.findings.filter((f) => f.code === code).map((f) => ({ uri: f.uri, at: at(f), message: f.message })) };
}

test('Metal3 IPPool: pools[] start/end and subnet, preAllocations and status.allocations used; a VIP inside it warns', () => {
  const { a, findings } = analyze(['metal3.yaml']);
  const pool = a.inventory.pools.find((p) => p.kind === 'IPPool')!;
  assert.equal(pool.analysis.total, 18n); // .10–.20 (11) and 192.168.112.1–.7 (7)
  const u = poolUsage(pool, a.inventory, a.clusters);
  assert.deepEqual(
    u.users.map((x) => [x.address, x.name]),
    [
      ['192.168.111.10', 'bm-one-cp-0 (held by IPPool provisioning-pool)'],
      ['192.168.111.11', 'bm-one-cp-1 (held by IPPool provisioning-pool)'],
      ['192.168.111.12', 'VIP of metal3/bm-one (no claim)'],
    ],
  );
  assert.equal(u.firstFree, '192.168.111.13');
  assert.deepEqual(findings('vip-in-node-pool'), [
    {
      uri: 'metal3.yaml',
      at: '192.168.111.12',
      message:
        "192.168.111.12 lies in the node pool IPPool metal3/provisioning-pool: the IPAM provider can hand it to a machine, which then answers on the VIP. Keep the VIP outside the nodes' range.",
    },
  ]);
  assert.deepEqual(findings('out-of-pool'), []);
});

test('prefix pools: sub-prefixes counted, excluded ones skipped; IPv4 prefixes and a negative grace period rejected in the webhook words', () => {
  const { a, findings } = analyze(['prefix-pools.yaml']);
  const pods = a.inventory.pools.find((p) => p.name === 'pods-v6')!;
  assert.equal(pods.analysis.total, 3n); // fd00:10::/62 at /64 is 4, less fd00:10:0:3::/64
  assert.equal(poolUsage(pods, a.inventory, a.clusters).firstFree, 'fd00:10::/64');
  assert.deepEqual(findings('invalid-pool'), [
    { uri: 'prefix-pools.yaml', at: '10.0.0.0/24', message: 'spec.prefixes "10.0.0.0/24": only IPv6 prefixes are supported' },
    { uri: 'prefix-pools.yaml', at: '-30', message: 'spec.addressReuseGracePeriodSeconds: addressReuseGracePeriodSeconds must not be negative' },
  ]);
  // A prefix pool hands out sub-prefixes, never one VIP.
  assert.deepEqual(
    rankPools(a, { namespace: 'default' }).map((r) => r.pool.name),
    [],
  );
});

test('ProxmoxCluster ipv4Config is a node range: a VIP inside warns, a VIP outside it in its subnet says nothing', () => {
  const { findings } = analyze(['proxmox.yaml']);
  assert.deepEqual(findings('vip-in-node-pool'), [
    {
      uri: 'proxmox.yaml',
      at: '10.10.10.15',
      message:
        "10.10.10.15 lies in the node range of ProxmoxCluster default/pve-one ipv4Config: the IPAM provider can hand it to a machine, which then answers on the VIP. Keep the VIP outside the nodes' range.",
    },
  ]);
  assert.deepEqual(findings('out-of-pool'), []);
});

test('a VIP outside a node pool (CAPV addressesFromPools) in its subnet is not out-of-pool; inside it is vip-in-node-pool', () => {
  const pool = `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: InClusterIPPool
metadata: {name: nodes, namespace: default}
spec: {addresses: [10.20.0.10-10.20.0.50], prefix: 24, gateway: 10.20.0.1}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereMachineTemplate
metadata: {name: md, namespace: default}
spec:
  template:
    spec:
      network:
        devices:
          - networkName: vm-network
            addressesFromPools:
              - {apiGroup: ipam.cluster.x-k8s.io, kind: InClusterIPPool, name: nodes}
`;
  const cluster = (name: string, ip: string) => `---
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata: {name: ${name}, namespace: default}
spec: {controlPlaneEndpoint: {host: ${ip}, port: 6443}}
`;
  const ws = new Workspace();
  const text = pool + cluster('outside', '10.20.0.200') + cluster('inside', '10.20.0.20');
  ws.setFile('a.yaml', text);
  const got = ws
    .analyze()
    .findings.filter((f) => f.code === 'out-of-pool' || f.code === 'vip-in-node-pool')
    .map((f) => [f.code, f.severity, text.slice(f.span.start, f.span.end)]);
  assert.deepEqual(got, [['vip-in-node-pool', 'warning', '10.20.0.20']]);
});

test('external claim-contract pools: "ranges managed by …", their IPAddresses used, offered through the claim flow', () => {
  const { ws, a } = analyze(['external.yaml']);
  const infoblox = a.inventory.pools.find((p) => p.kind === 'InfobloxIPPool')!;
  assert.deepEqual(
    poolUsage(infoblox, a.inventory, a.clusters).users.map((u) => u.address),
    ['10.40.0.5'],
  );
  // Live, the same objects are claimable pools: the quick fix offers both, by the IPAM that keeps their ranges.
  const byKind = new Map<string, Record<string, unknown>[]>();
  for (const d of read('external.yaml')
    .split(/^---$/m)
    .map((t) => parse(t) as { kind: string }))
    byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d]);
  ws.setLiveInventory(toInventory(byKind));
  const live = ws.analyze();
  const cluster = live.clusters.find((c) => c.name === 'needs-vip')!;
  const place = cluster.places[0]!;
  assert.deepEqual(
    allocationChoices(live, cluster, { uri: place.uri, start: place.span.start, end: place.span.end }, '').choices.map((c) => c.title),
    ['Allocate IP from pool infoblox-vips (ranges managed by Infoblox)', 'Allocate IP from pool netbox-dc1 (ranges managed by NetBox)'],
  );
  assert.equal(
    claimObject(cluster, { kind: 'InfobloxIPPool', name: 'infoblox-vips' }, { clusterExists: false }).spec.poolRef.apiGroup,
    'ipam.cluster.x-k8s.io',
  );
  assert.equal(claimObject(cluster, { kind: 'IPPool', name: 'provisioning-pool' }, { clusterExists: false }).spec.poolRef.apiGroup, 'ipam.metal3.io');
});

test('MetalLB: a VIP in a pool, a pool overlapping the VIP pool, Services checked against the pools that admit them', () => {
  const { findings } = analyze(['metallb.yaml']);
  assert.deepEqual(findings('lb-range-overlap'), [
    {
      uri: 'metallb.yaml',
      at: '172.16.5.25',
      message: '172.16.5.25 lies in IPAddressPool metallb-system/shared (MetalLB): a LoadBalancer Service may be given the same address.',
    },
  ]);
  assert.deepEqual(findings('lb-pool-overlap'), [
    {
      uri: 'metallb.yaml',
      at: '172.16.5.10-172.16.5.30',
      message:
        'IPAddressPool metallb-system/shared entry 172.16.5.10-172.16.5.30 overlaps InClusterIPPool default/vips: 11 address(es) (e.g. 172.16.5.20) that both MetalLB and the IPAM provider can hand out.',
    },
  ]);
  assert.deepEqual(findings('lb-ip-outside-range'), [
    {
      uri: 'metallb.yaml',
      at: '172.16.1.6',
      message:
        '172.16.1.6 is outside every MetalLB pool Service team-b/db may draw from: IPAddressPool metallb-system/team-a holds it, but does not admit Service team-b/db (serviceAllocation or the address-pool annotation).',
    },
    {
      uri: 'metallb.yaml',
      at: '172.16.9.9',
      message: '172.16.9.9 is outside every MetalLB pool Service team-b/api may draw from (IPAddressPool metallb-system/shared).',
    },
  ]);
});

test('Cilium LB-IPAM: first/last of a CIDR block held back, a disabled pool, an overlap with MetalLB; views group by provider', () => {
  const { ws, findings } = analyze(['metallb.yaml', 'cilium.yaml']);
  assert.deepEqual(
    findings('lb-ip-outside-range').filter((f) => f.uri === 'cilium.yaml'),
    [
      {
        uri: 'cilium.yaml',
        at: '172.20.0.0',
        message:
          '172.20.0.0 is outside every Cilium LB-IPAM pool Service edge/ingress may draw from: CiliumLoadBalancerIPPool blue lists it, but Cilium never hands out the first and last address of a CIDR block unless allowFirstLastIPs is Yes.',
      },
      {
        uri: 'cilium.yaml',
        at: '172.21.0.1',
        message:
          '172.21.0.1 is outside every Cilium LB-IPAM pool Service edge/old may draw from: CiliumLoadBalancerIPPool drained holds it, but it is disabled.',
      },
    ],
  );
  assert.deepEqual(
    findings('lb-pool-overlap').filter((f) => f.uri === 'cilium.yaml'),
    [
      {
        uri: 'cilium.yaml',
        at: '172.16.0.8',
        message:
          'CiliumLoadBalancerIPPool blue entry 172.16.0.8-172.16.0.12 overlaps IPAddressPool metallb-system/shared: 5 address(es) (e.g. 172.16.0.8) that both Cilium LB-IPAM and MetalLB can hand out to different Services.',
      },
    ],
  );
  const api = ws.host.snapshot();
  assert.deepEqual(
    api.services().map((s) => `${s.provider} ${s.namespace}/${s.name} ${s.range} ${s.inRange}`),
    [
      'MetalLB team-a/web IPAddressPool metallb-system/shared, IPAddressPool metallb-system/team-a true',
      'MetalLB team-b/db IPAddressPool metallb-system/shared false',
      'MetalLB team-b/api IPAddressPool metallb-system/shared false',
      'Cilium LB-IPAM edge/ingress CiliumLoadBalancerIPPool blue false',
      'Cilium LB-IPAM edge/old undefined undefined',
    ],
  );
  assert.deepEqual(
    api.kubeVipRanges().map((r) => `${r.provider} | ${r.configMap} | ${r.entry} | ${r.used}/${r.size} next ${r.firstFree} | ${r.users.join(' ')}`),
    [
      'MetalLB | IPAddressPool metallb-system/shared | 172.16.0.0/28 | 0/15 next 172.16.0.1 | ',
      'MetalLB | IPAddressPool metallb-system/shared | 172.16.5.10-172.16.5.30 | 0/21 next 172.16.5.10 | ',
      'MetalLB | IPAddressPool metallb-system/team-a | 172.16.1.0/28 | 2/16 next undefined | team-a/web team-b/db',
      'Cilium LB-IPAM | CiliumLoadBalancerIPPool blue | 172.20.0.0/24 | 0/254 next 172.20.0.1 | ',
      'Cilium LB-IPAM | CiliumLoadBalancerIPPool blue | 172.16.0.8-172.16.0.12 | 0/5 next 172.16.0.8 | ',
      'Cilium LB-IPAM | CiliumLoadBalancerIPPool drained | 172.21.0.0/30 | 1/2 next undefined | edge/old',
    ],
  );
});

test('rollout-capacity: replicas + maxSurge (CAPI defaults, percentages, OnDelete) and the grace period, on the pool and the rollouts; the Pools view shows free after a rollout', () => {
  const proxmox = analyze(['proxmox.yaml']);
  assert.deepEqual(proxmox.findings('rollout-capacity'), [
    {
      uri: 'proxmox.yaml',
      at: 'pve-one',
      message:
        'ProxmoxCluster default/pve-one ipv4Config can give its machines 9 address(es), but rolling them out at once needs 12 (KubeadmControlPlane default/pve-one-control-plane 3+1, MachineDeployment default/pve-one-workers 6+2): new machines would wait for addresses.',
    },
    {
      uri: 'proxmox.yaml',
      at: '3',
      message:
        'A rolling update of KubeadmControlPlane default/pve-one-control-plane needs 10 address(es) of ProxmoxCluster default/pve-one ipv4Config at once (its 3 replicas + 1, with 6 other machines), but the pool can give 9.',
    },
    {
      uri: 'proxmox.yaml',
      at: '6',
      message:
        'A rolling update of MachineDeployment default/pve-one-workers needs 11 address(es) of ProxmoxCluster default/pve-one ipv4Config at once (its 6 replicas + 2, with 3 other machines), but the pool can give 9.',
    },
  ]);
  const capv = analyze(['capv-capacity.yaml']);
  assert.deepEqual(
    capv.findings('rollout-capacity').map((f) => f.at),
    ['workers', '5'],
  );
  assert.match(
    capv.findings('rollout-capacity')[0]!.message,
    /needs 12 \(MachineDeployment prod\/prod-md-0 5\+5, MachineDeployment prod\/prod-md-ondelete 1\+1, and addressReuseGracePeriodSeconds 300/,
  );
  const api = capv.ws.host.snapshot();
  assert.deepEqual(
    api.pools().map((p) => [p.name, p.role, p.freeAfterRollout]),
    [['workers', 'node', '-4']],
  );
  // Metal3: 18 addresses, 2 held and the VIP: a 3-replica KCP surging by 1 fits.
  assert.deepEqual(analyze(['metal3.yaml']).findings('rollout-capacity'), []);
});

test('kube-vip cloud provider ranges from the Helm chart values (cm.data) and a Flux HelmRelease (spec.values.cm.data)', () => {
  const release = analyze(['helmrelease.yaml']);
  const [overlap] = release.a.findings.filter((f) => f.code === 'lb-range-overlap');
  assert.equal(release.at(overlap!), '10.60.0.20');
  assert.deepEqual(
    overlap!.related?.map((r) => [r.message, release.at(r)]),
    [['range-global: 10.60.0.10-10.60.0.30', '10.60.0.10-10.60.0.30']],
  );
  const values = analyze(['kube-vip-cloud-provider-values.yaml']);
  assert.deepEqual(
    values.ws.host
      .snapshot()
      .kubeVipRanges()
      .map((r) => `${r.configMap} ${r.key} ${r.entry} ${r.size} ${values.at(r.location!)}`),
    ['kube-system/kubevip cidr-global 10.50.0.0/29 7 10.50.0.0/29', 'kube-system/kubevip range-team 10.50.1.10-10.50.1.20 11 10.50.1.10-10.50.1.20'],
  );
  // `cm` in another chart's values is not the kube-vip cloud provider's.
  const other = new Workspace();
  other.setFile('v.yaml', 'cm:\n  data:\n    color: blue\n');
  assert.deepEqual(other.analyze().inventory.kubeVipRanges, []);
});
