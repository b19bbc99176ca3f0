// The estate rules (issue 22) over real API objects: a Service of one workload cluster on another's VIP,
// node addresses in a VIP and in a pool, kube-vip ranges overlapping across clusters, pools, pod CIDRs and
// nodes, a namespace range inside the global one, and two management clusters' pools overlapping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { estateClusterData, estateFindings, type Inventory } from '../../../server/src/engine/index';
import * as f from './fixture';

const lab = (extra: Partial<Record<string, ReturnType<typeof f.node>[]>> = {}): f.ManagementSeed => ({
  context: 'lab',
  objects: {
    Cluster: [f.cluster('default', 'prod', '10.10.0.10'), f.cluster('default', 'dev', '10.10.0.40')],
    ProxmoxCluster: [f.proxmoxCluster('default', 'dev', '10.10.0.40')],
    Machine: [f.machine('default', 'prod', 'prod-cp-abc', '10.10.0.21'), f.machine('default', 'dev', 'dev-md-1', '10.10.0.50')],
    GlobalInClusterIPPool: [f.globalPool('vips', ['10.10.0.40-10.10.0.60'])],
    ...extra,
  },
  workloads: {
    'default/prod': {
      Service: [f.lbService('web', 'frontend', '10.10.0.40'), f.lbService('web', 'api', '10.10.0.33')],
      ConfigMap: [f.kubeVip({ 'cidr-global': '10.10.0.32/28', 'cidr-team': '10.10.0.36/30' })],
      Node: [f.node('prod-cp-abc', '10.10.0.21')],
      Lease: [f.lease('prod-cp-abc')],
    },
    'default/dev': { Service: [f.lbService('default', 'db', '10.10.0.33')], ConfigMap: [f.kubeVip({ 'range-global': '10.10.0.45-10.10.0.47' })] },
  },
});
const prodMc: f.ManagementSeed = { context: 'prod-mc', objects: { GlobalInClusterIPPool: [f.globalPool('mc-vips', ['10.10.0.55-10.10.0.70'])] } };

const messages = (inv: Inventory, code: string) =>
  estateFindings(inv, [])
    .filter((x) => x.code === code)
    .map((x) => x.message);

function fileFindings(inv: Inventory | undefined, files: Record<string, string>, code: string) {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  ws.setLiveInventory(inv);
  return ws
    .analyze()
    .findings.filter((x) => x.code === code)
    .map((x) => ({ at: files[x.uri]!.slice(x.span.start, x.span.end), line: files[x.uri]!.slice(0, x.span.start).split('\n').length, message: x.message }));
}

const clusterYaml = (name: string, host: string) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: ${name}
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ${host}
    port: 6443
`;

test('vip-in-estate: a file cluster whose VIP is another cluster\u2019s Service or a node address, at the VIP, naming cluster and object', () => {
  const inv = f.estateInventory([lab()]);
  assert.deepEqual(fileFindings(inv, { 'dev.yaml': clusterYaml('dev', '10.10.0.40') }, 'vip-in-estate'), [
    {
      at: '10.10.0.40',
      line: 8,
      message:
        '10.10.0.40 is also the load-balancer IP of Service web/frontend in cluster default/prod of management cluster lab: the address would answer for both.',
    },
  ]);
  // The Machine and the Node of one node are one holder.
  assert.deepEqual(fileFindings(inv, { 'test.yaml': clusterYaml('test', '10.10.0.21') }, 'vip-in-estate'), [
    {
      at: '10.10.0.21',
      line: 8,
      message:
        '10.10.0.21 is also the InternalIP address of Machine default/prod-cp-abc in cluster default/prod of management cluster lab: the address would answer for both.',
    },
  ]);
  assert.deepEqual(fileFindings(inv, { 'ok.yaml': clusterYaml('ok', '10.10.0.99') }, 'vip-in-estate'), []);
});

test('vip-in-estate for live clusters alone: to the estate findings, not for a cluster a file holds', () => {
  const inv = f.estateInventory([lab()]);
  const found = estateFindings(inv, []).filter((x) => x.code === 'vip-in-estate');
  assert.deepEqual(found, [
    {
      code: 'vip-in-estate',
      severity: 'error',
      message:
        '10.10.0.40 is also the load-balancer IP of Service web/frontend in cluster default/prod of management cluster lab: the address would answer for both.',
      address: '10.10.0.40',
      subject: { managementCluster: 'lab', kind: 'Cluster', namespace: 'default', name: 'dev', source: 'management' },
      related: [{ managementCluster: 'lab', workloadCluster: 'default/prod', kind: 'Service', namespace: 'web', name: 'frontend', source: 'workload' }],
    },
  ]);
  const ws = new Workspace();
  ws.setFile('dev.yaml', clusterYaml('dev', '10.10.0.40'));
  ws.setLiveInventory(inv);
  const a = ws.analyze();
  assert.deepEqual(
    estateFindings(a.inventory, a.clusters).filter((x) => x.code === 'vip-in-estate'),
    [],
    'the file reports it',
  );
  // Two live clusters of two management clusters on one VIP.
  const twin: f.ManagementSeed = { context: 'prod-mc', objects: { Cluster: [f.cluster('default', 'edge', '10.10.0.10')] } };
  assert.deepEqual(
    messages(f.estateInventory([lab(), twin]), 'vip-in-estate').filter((m) => m.startsWith('10.10.0.10 ')),
    [
      '10.10.0.10 is also the VIP of cluster default/edge (Cluster) of management cluster prod-mc: the address would answer for both.',
      '10.10.0.10 is also the VIP of cluster default/prod (Cluster) of management cluster lab: the address would answer for both.',
    ],
  );
});

test('service-ip-in-estate: one address on Services of two clusters, and a Service on a node address', () => {
  assert.deepEqual(messages(f.estateInventory([lab()]), 'service-ip-in-estate'), [
    '10.10.0.33, the load-balancer IP of Service web/api in cluster default/prod, is also the load-balancer IP of Service default/db in cluster default/dev of management cluster lab.',
    '10.10.0.33, the load-balancer IP of Service default/db in cluster default/dev, is also the load-balancer IP of Service web/api in cluster default/prod of management cluster lab.',
  ]);
  const seed = lab();
  seed.workloads!['default/dev']!.Service = [f.lbService('default', 'db', '10.10.0.21')];
  assert.deepEqual(messages(f.estateInventory([seed]), 'service-ip-in-estate'), [
    '10.10.0.21, the load-balancer IP of Service default/db in cluster default/dev, is also the InternalIP address of Machine default/prod-cp-abc in cluster default/prod of management cluster lab.',
  ]);
});

test('pool-node-address: a node address the pool can hand out; not when an IPAddress of the pool holds it; a file pool at the pool', () => {
  assert.deepEqual(messages(f.estateInventory([lab()]), 'pool-node-address'), [
    "GlobalInClusterIPPool vips can hand out 10.10.0.50 (Machine default/dev-md-1 in cluster default/dev of management cluster lab), a node's address; no IPAddress of the pool holds it, so a claim may get it.",
  ]);
  const allocated = {
    apiVersion: 'ipam.cluster.x-k8s.io/v1beta1',
    kind: 'IPAddress',
    metadata: { name: 'dev-md-1-0', namespace: 'default' },
    spec: {
      address: '10.10.0.50',
      prefix: 24,
      gateway: '10.10.0.1',
      poolRef: { apiGroup: 'ipam.cluster.x-k8s.io', kind: 'GlobalInClusterIPPool', name: 'vips' },
      claimRef: { name: 'dev-md-1-0' },
    },
  };
  assert.deepEqual(messages(f.estateInventory([lab({ IPAddress: [allocated] })]), 'pool-node-address'), []);
  const seed = lab({ GlobalInClusterIPPool: [] });
  const pool = `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: InClusterIPPool
metadata:
  name: nodes
  namespace: default
spec:
  addresses: ["10.10.0.20-10.10.0.22", "10.10.0.50"]
  prefix: 24
`;
  assert.deepEqual(fileFindings(f.estateInventory([seed]), { 'pool.yaml': pool }, 'pool-node-address'), [
    {
      at: 'nodes',
      line: 4,
      message:
        'InClusterIPPool default/nodes can hand out 2 node addresses: 10.10.0.21 (Machine default/prod-cp-abc in cluster default/prod of management cluster lab), 10.10.0.50 (Machine default/dev-md-1 in cluster default/dev of management cluster lab); no IPAddress of the pool holds it, so a claim may get it.',
    },
  ]);
});

test('kube-vip-range-overlap: another cluster\u2019s range, an IPAM pool, the own pod CIDR, a node address', () => {
  assert.deepEqual(messages(f.estateInventory([lab()]), 'kube-vip-range-overlap'), [
    'kube-vip cidr-global 10.10.0.32/28 of cluster default/prod overlaps range-global of cluster default/dev of management cluster lab, GlobalInClusterIPPool vips of management cluster lab: e.g. 10.10.0.45 could be handed out twice.',
    'kube-vip range-global 10.10.0.45-10.10.0.47 of cluster default/dev overlaps cidr-global of cluster default/prod of management cluster lab, GlobalInClusterIPPool vips of management cluster lab: e.g. 10.10.0.45 could be handed out twice.',
  ]);
  const own: f.ManagementSeed = {
    context: 'lab',
    objects: { Cluster: [f.cluster('default', 'edge', '10.20.0.10', '10.20.8.0/21')], Machine: [f.machine('default', 'edge', 'edge-0', '10.20.0.7')] },
    workloads: { 'default/edge': { ConfigMap: [f.kubeVip({ 'range-global': '10.20.0.5-10.20.0.9,10.20.9.1-10.20.9.2' })] } },
  };
  assert.deepEqual(messages(f.estateInventory([own]), 'kube-vip-range-overlap'), [
    'kube-vip range-global 10.20.0.5-10.20.0.9,10.20.9.1-10.20.9.2 of cluster default/edge overlaps its own pod CIDR 10.20.8.0/21, the address of Machine default/edge-0 in cluster default/edge of management cluster lab: e.g. 10.20.9.1 could be handed out twice.',
  ]);
});

test('kube-vip-namespace-overlap: in a workload cluster\u2019s ConfigMap (estate) and in a file (at the key)', () => {
  assert.deepEqual(messages(f.estateInventory([lab()]), 'kube-vip-namespace-overlap'), [
    "cluster default/prod: cidr-team overlaps cidr-global (4 address(es), e.g. 10.10.0.36): the kube-vip cloud provider checks a namespace pool against that namespace's Services only, so it can hand out one address twice.",
  ]);
  const cm = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kubevip
  namespace: kube-system
data:
  range-global: 10.30.0.10-10.30.0.20
  range-team: 10.30.0.18-10.30.0.25
  cidr-dead: 10.40.0.0/30
`;
  assert.deepEqual(fileFindings(undefined, { 'cm.yaml': cm }, 'kube-vip-namespace-overlap'), [
    {
      at: '10.30.0.18-10.30.0.25',
      line: 8,
      message:
        "range-team overlaps range-global (3 address(es), e.g. 10.30.0.18): the kube-vip cloud provider checks a namespace pool against that namespace's Services only, so it can hand out one address twice.",
    },
  ]);
});

test('management-pool-overlap: each of two management clusters\u2019 overlapping pools, naming the other', () => {
  assert.deepEqual(messages(f.estateInventory([lab(), prodMc]), 'management-pool-overlap'), [
    'GlobalInClusterIPPool vips of management cluster lab overlaps GlobalInClusterIPPool mc-vips of management cluster prod-mc, e.g. 10.10.0.55: each provider knows only its own allocations, so both can hand out one address.',
    'GlobalInClusterIPPool mc-vips of management cluster prod-mc overlaps GlobalInClusterIPPool vips of management cluster lab, e.g. 10.10.0.55: each provider knows only its own allocations, so both can hand out one address.',
  ]);
  assert.deepEqual(messages(f.estateInventory([lab()]), 'management-pool-overlap'), []);
});

test('the Estate view of a workload cluster: VIP and lease holder, Machine and Node joined, Services, ranges with usage', () => {
  const inv = f.estateInventory([lab()]);
  const prod = inv.estate.find((c) => c.name === 'prod')!;
  assert.deepEqual(estateClusterData(prod, inv), {
    vip: { address: '10.10.0.10', source: 'Cluster default/prod .spec.controlPlaneEndpoint.host', holder: 'prod-cp-abc' },
    nodes: [
      {
        name: 'prod-cp-abc',
        machine: 'default/prod-cp-abc',
        addresses: [
          { type: 'Hostname', address: 'prod-cp-abc' },
          { type: 'InternalIP', address: '10.10.0.21' },
        ],
        from: ['Machine', 'Node'],
      },
    ],
    services: [
      { namespace: 'web', name: 'api', ips: ['10.10.0.33'] },
      { namespace: 'web', name: 'frontend', ips: ['10.10.0.40'] },
    ],
    kubeVipRanges: [
      { key: 'cidr-global', scope: 'global', entry: '10.10.0.32/28', size: '16', used: '2' },
      { key: 'cidr-team', scope: 'team', entry: '10.10.0.36/30', size: '4', used: '0' },
    ],
  });
  // A workload cluster not read: its Machines' addresses still show.
  const dev = { ...inv.estate.find((c) => c.name === 'dev')!, services: [], read: false };
  assert.deepEqual(estateClusterData(dev, inv).nodes, [
    {
      name: 'dev-md-1',
      machine: 'default/dev-md-1',
      addresses: [
        { type: 'Hostname', address: 'dev-md-1' },
        { type: 'InternalIP', address: '10.10.0.50' },
      ],
      from: ['Machine'],
    },
  ]);
});

test('hover and the pool map name node addresses and workload clusters\u2019 Services with their owners', async () => {
  const { hoverAt } = await import('../../../server/src/engine/features/hover');
  const { poolMap } = await import('../../../server/src/engine/features/poolMap');
  const seed = lab();
  seed.workloads!['default/dev']!.Service!.push(f.lbService('default', 'dns', '10.10.0.58'));
  const inv = f.estateInventory([seed]);
  const ws = new Workspace();
  const text = clusterYaml('dev', '10.10.0.40');
  ws.setFile('file:///dev.yaml', text);
  ws.setLiveInventory(inv);
  const a = ws.analyze();
  const hover = hoverAt(a, 'file:///dev.yaml', text.indexOf('10.10.0.40') + 2)!;
  assert.deepEqual(hover.markdown.split('\n\n').slice(-2), [
    'Control-plane endpoint of Cluster default/dev (management cluster lab)',
    'Load-balancer IP of Service web/frontend in cluster default/prod of management cluster lab',
  ]);
  const vips = a.inventory.pools.find((p) => p.name === 'vips')!;
  const cells = poolMap(vips, a).rows.flatMap((r) => r.cells);
  assert.deepEqual(
    cells.filter((c) => c.state === 'node' || c.state === 'service').map((c) => `${c.address} ${c.state} ${c.detail}`),
    [
      '10.10.0.50 node InternalIP address of Machine default/dev-md-1 in cluster default/dev of management cluster lab: not allocated by the pool, which may hand it out',
      '10.10.0.58 service LoadBalancer IP of Service default/dns in cluster default/dev of management cluster lab',
    ],
  );
});
