// Pool map data: a small pool address by address with each state; a /16 and an IPv6 /64 as blocks
// of 256 computed on ranges (never enumerated; bench/bounds.ts times them), and a zoom into one block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { poolMap } from '../../../server/src/engine/features/poolMap';

const pool = (name: string, addresses: string, prefix: number, extra = '') => `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: GlobalInClusterIPPool
metadata:
  name: ${name}
spec:
  addresses: [${addresses}]
  prefix: ${prefix}
${extra}---
`;
const cluster = (name: string, host: string) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: ${name}
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ${host}
---
`;
const service = `apiVersion: v1
kind: Service
metadata:
  name: grafana
  namespace: monitoring
spec:
  type: LoadBalancer
  loadBalancerIP: 10.0.0.13
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: kubevip
  namespace: kube-system
data:
  range-global: 10.0.0.14-10.0.0.15
`;

function map(text: string, name: string, zoom?: string) {
  const ws = new Workspace();
  ws.setFile('file:///w/a.yaml', text);
  const a = ws.analyze();
  return poolMap(
    a.inventory.pools.find((p) => p.name === name)!,
    a,
    zoom,
  );
}

test('a small pool: one cell per address, coloured by state, with who holds it', () => {
  const m = map(
    pool('vips', '"10.0.0.0-10.0.0.20"', 24, '  gateway: 10.0.0.1\n  excludedAddresses: [10.0.0.12]\n') + cluster('prod', '10.0.0.11') + service,
    'vips',
  );
  assert.equal(m.mode, 'addresses');
  assert.deepEqual(
    m.rows.map((r) => r.label),
    ['10.0.0.0', '10.0.0.16'],
  );
  const cells = new Map(m.rows.flatMap((r) => r.cells).map((c) => [c.address, `${c.state}: ${c.detail}`]));
  assert.equal(cells.get('10.0.0.0'), 'reserved: network address: never allocated');
  assert.equal(cells.get('10.0.0.1'), 'gateway: gateway: never allocated');
  assert.equal(cells.get('10.0.0.2'), 'free: free');
  assert.equal(cells.get('10.0.0.11'), 'allocated: VIP of default/prod (no claim)');
  assert.equal(cells.get('10.0.0.12'), 'excluded: excluded (spec.excludedAddresses)');
  assert.equal(cells.get('10.0.0.13'), 'service: LoadBalancer IP of Service monitoring/grafana');
  assert.match(cells.get('10.0.0.14')!, /^kubevip: in kube-vip range range-global 10\.0\.0\.14-10\.0\.0\.15/);
  assert.equal(cells.get('10.0.0.21'), 'outside: not an address of this pool');
  assert.equal(m.rows[1]!.cells.length, 16);
});

test('a /16 is drawn as 256 blocks of /24 with counts; a zoom shows one /24 address by address', () => {
  const m = map(pool('big', '"10.1.0.0/16"', 16, '  gateway: 10.1.0.1\n') + cluster('a', '10.1.5.7'), 'big');
  assert.equal(m.mode, 'blocks');
  assert.equal(m.blocks.length, 256);
  assert.deepEqual(m.blocks[0], { block: '10.1.0.0/24', inPool: '256', allocated: '0', free: '254', reserved: '2' });
  assert.deepEqual(m.blocks[5], { block: '10.1.5.0/24', inPool: '256', allocated: '1', free: '255', reserved: '0' });
  assert.deepEqual(m.blocks[255], { block: '10.1.255.0/24', inPool: '256', allocated: '0', free: '255', reserved: '1' });
  const z = map(pool('big', '"10.1.0.0/16"', 16) + cluster('a', '10.1.5.7'), 'big', '10.1.5.0/24');
  assert.equal(z.mode, 'addresses');
  assert.equal(z.rows.length, 16);
  assert.equal(z.rows[0]!.cells[7]!.state, 'allocated');
});

test('an IPv6 /64 lists only the blocks that hold something, without enumerating', () => {
  const m = map(pool('v6', '"fd00:10::/64"', 64, '  gateway: fd00:10::1\n') + cluster('a', 'fd00:10::5:7'), 'v6');
  assert.equal(m.mode, 'blocks');
  assert.deepEqual(
    m.blocks.map((b) => `${b.block} ${b.allocated}/${b.free}/${b.reserved}`),
    ['fd00:10::/120 0/254/2', 'fd00:10::5:0/120 1/255/0'],
  );
  assert.match(m.note!, /the pool has 18446744073709551616 addresses/);
});

test('the Pools view lists allocated addresses in numeric order', async () => {
  const ws = new Workspace();
  ws.setFile('file:///w/a.yaml', pool('vips', '"10.0.0.2-10.0.0.200"', 24) + ['100', '9', '10', '2'].map((n) => cluster(`c${n}`, `10.0.0.${n}`)).join(''));
  const [view] = ws.host.snapshot().pools();
  assert.deepEqual(
    view!.allocations.map((x) => x.address),
    ['10.0.0.2', '10.0.0.9', '10.0.0.10', '10.0.0.100'],
  );
});
