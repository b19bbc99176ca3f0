// The Pools tree at scale: a long allocation list is grouped by CIDR block at octet boundaries,
// with the block text and count the tree shows, and every address reachable by expanding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type AddressBlock, groupAddresses } from '../../../server/src/engine/features/addressGroups';
import { formatAddr, parseAddr } from '../../../server/src/engine/ip/addr';

/** `count` consecutive addresses from `first`, shuffled (grouping must not depend on input order). */
function run(first: string, count: number): { address: string }[] {
  const start = (parseAddr(first) as { ok: true; value: { family: 4 | 6; value: bigint } }).value;
  const out = Array.from({ length: count }, (_, i) => ({ address: formatAddr({ family: start.family, value: start.value + BigInt(i) }) }));
  for (let i = out.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const labels = (blocks: AddressBlock<{ address: string }>[]) => blocks.map((b) => `${b.block} ${b.count}`);
const leaves = (blocks: AddressBlock<{ address: string }>[]): string[] => blocks.flatMap((b) => (b.blocks ? leaves(b.blocks) : b.items!.map((x) => x.address)));

test('256 addresses or fewer stay a flat list', () => {
  assert.equal(groupAddresses(run('10.0.0.1', 256)), undefined);
});

test('600 addresses of a /16 make /24 blocks that list their addresses in numeric order', () => {
  const blocks = groupAddresses(run('10.60.0.2', 600))!;
  assert.deepEqual(labels(blocks), ['10.60.0.0/24 254', '10.60.1.0/24 256', '10.60.2.0/24 90']);
  assert.deepEqual(
    blocks[0]!.items!.slice(0, 3).map((x) => x.address),
    ['10.60.0.2', '10.60.0.3', '10.60.0.4'],
  );
  assert.equal(blocks[2]!.items!.at(-1)!.address, '10.60.2.89');
  assert.equal(blocks[1]!.blocks, undefined);
});

test('a /16 with 65,000 used addresses opens as 254 blocks of a /24, not 65,000 children', () => {
  const blocks = groupAddresses(run('10.60.0.2', 65_000))!;
  assert.equal(blocks.length, 254);
  assert.deepEqual(labels([blocks[0]!, blocks[1]!, blocks.at(-1)!]), ['10.60.0.0/24 254', '10.60.1.0/24 256', '10.60.253.0/24 234']);
  assert.equal(blocks.at(-1)!.items!.at(-1)!.address, '10.60.253.233');
  assert.equal(leaves(blocks).length, 65_000);
});

test('addresses across /16s group by /16 first, and a big /16 by /24 below it', () => {
  const blocks = groupAddresses(run('10.0.0.0', 70_000))!;
  assert.deepEqual(labels(blocks), ['10.0.0.0/16 65536', '10.1.0.0/16 4464']);
  assert.equal(blocks[0]!.blocks!.length, 256);
  assert.deepEqual(labels(blocks[0]!.blocks!.slice(0, 2)), ['10.0.0.0/24 256', '10.0.1.0/24 256']);
  assert.deepEqual(labels(blocks[1]!.blocks!.slice(-1)), ['10.1.17.0/24 112']);
  assert.equal(leaves(blocks)[65_536], '10.1.0.0');
});

test('IPv6 addresses group at byte boundaries too', () => {
  assert.deepEqual(labels(groupAddresses(run('fd00::1', 300))!), ['fd00::/120 255', 'fd00::100/120 45']);
});

test('the same address many times (a conflict) is one /32 block holding every user', () => {
  const blocks = groupAddresses(Array.from({ length: 300 }, () => ({ address: '10.0.0.5' })))!;
  assert.deepEqual(labels(blocks), ['10.0.0.5/32 300']);
});

test('a list with text that is no address, or with both families, is not grouped', () => {
  assert.equal(groupAddresses([...run('10.0.0.1', 300), { address: 'not-an-ip' }]), undefined);
  assert.equal(groupAddresses([...run('10.0.0.1', 300), { address: 'fd00::1' }]), undefined);
});

test("the Pools view sends a long allocation list as blocks with counts, and a block's addresses when asked", async () => {
  const { AnalysisHost } = await import('../../../server/src/engine/index');
  const ws = new AnalysisHost();
  const pool =
    'apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: GlobalInClusterIPPool\nmetadata:\n  name: big\nspec:\n  addresses: ["10.60.0.0/16"]\n  prefix: 16\n';
  const cluster = (i: number) =>
    `---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: VSphereCluster\nmetadata:\n  name: c${i}\n  namespace: default\nspec:\n  controlPlaneEndpoint:\n    host: 10.60.${i >> 8}.${(i & 255) + 0}\n    port: 6443\n`;
  ws.setFile('file:///w/a.yaml', pool + Array.from({ length: 300 }, (_, i) => cluster(i + 2)).join(''));
  const api = ws.snapshot();
  const view = api.pools()[0]!;
  assert.deepEqual(view.allocations, []);
  assert.deepEqual(
    view.allocationBlocks,
    [
      { block: '10.60.0.0/24', count: 254 },
      { block: '10.60.1.0/24', count: 46 },
    ],
    'blocks and counts only',
  );
  const inside = api.poolBlock(view.id, '10.60.1.0/24')!;
  assert.equal(inside.blocks, undefined);
  assert.deepEqual(
    inside.allocations!.slice(0, 2).map((x) => `${x.address} ${x.name}`),
    ['10.60.1.0 VIP of default/c256 (no claim)', '10.60.1.1 VIP of default/c257 (no claim)'],
  );
  assert.equal(inside.allocations!.length, 46);
  assert.equal(api.poolBlock(view.id, '10.60.7.0/24'), undefined);
});
