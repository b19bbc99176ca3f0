// Conformance with the in-cluster IPAM provider's own test tables (CAIP v1.1.0: internal/poolutil/pool_test.go, internal/webhooks/inclusterippool_test.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAddr } from '../../../server/src/engine/ip/addr';
import { analyzePool, findFree, isAllocatable, nextFree, poolStatus, reservedReason, type PoolSpec } from '../../../server/src/engine/ip/pool';

const spec = (
  prefix: number,
  gateway: string | undefined,
  addresses: string[],
  excludedAddresses?: string[],
  allocateReservedIPAddresses?: boolean,
): PoolSpec => ({ prefix, gateway, addresses, excludedAddresses, allocateReservedIPAddresses });

test('allocatable set and total (poolutil)', () => {
  const cases: [PoolSpec, number, string[]?, string[]?][] = [
    [spec(0, '192.168.0.1', ['192.168.0.3-192.168.0.10']), 8],
    [spec(24, '192.168.0.1', ['192.168.0.2', '192.168.0.3-192.168.0.4', '192.168.0.6/31']), 5],
    [spec(24, '192.168.0.1', ['192.168.0.0', '192.168.0.3-192.168.0.4', '192.168.0.6/31']), 4, [], ['192.168.0.0']],
    [
      spec(16, '192.168.0.1', ['192.168.1.0', '192.168.0.255', '192.168.0.3-192.168.0.4', '192.168.0.6/31', '192.168.255.255']),
      6,
      ['192.168.1.0', '192.168.0.255'],
      ['192.168.255.255'],
    ],
    [spec(24, '192.168.0.1', ['192.168.0.1', '192.168.0.3-192.168.0.4', '192.168.0.6/31']), 4, [], ['192.168.0.1']],
    [
      spec(24, '192.168.0.1', ['192.168.0.0', '192.168.0.1', '192.168.0.3-192.168.0.4', '192.168.0.6/31', '192.168.0.255'], undefined, true),
      6,
      ['192.168.0.0', '192.168.0.255'],
      ['192.168.0.1'],
    ],
    [
      spec(24, '192.168.0.1', ['192.168.0.0-192.168.0.10'], ['192.168.0.5', '192.168.0.6', '192.168.0.7']),
      6,
      ['192.168.0.2', '192.168.0.10'],
      ['192.168.0.6', '192.168.0.11'],
    ],
    [spec(24, '192.168.0.1', ['192.168.0.0/24'], ['192.168.0.128/25']), 126],
    [spec(24, '192.168.0.1', ['192.168.0.0/24'], ['192.168.0.2-192.168.0.20']), 234],
    [spec(120, 'fd01::1', ['fd01::2', 'fd01::3-fd01::4', 'fd01::6/127']), 5],
    [spec(120, 'fd01::1', ['fd01::0', 'fd01::3-fd01::4', 'fd01::6/127']), 4, [], ['fd01::']],
    [spec(112, 'fd01::1', ['fd01::ffff', 'fd01::1:0', 'fd01::3-fd01::4', 'fd01::6/127', 'fd01::ffff:ffff']), 7, ['fd01::ffff']],
    [spec(120, 'fd01::1', ['fd01::1', 'fd01::3-fd01::4', 'fd01::6/127']), 4],
    [spec(120, 'fd01::1', ['fd01::0', 'fd01::1', 'fd01::3-fd01::4', 'fd01::6/127', 'fd01::ffff:ffff'], undefined, true), 6, ['fd01::'], ['fd01::1']],
  ];
  cases.forEach(([s, total, yes = [], no = []], i) => {
    const a = analyzePool(s);
    assert.equal(a.total, BigInt(total), `P${i + 1}`);
    for (const ip of yes) assert.equal(isAllocatable(a, ip), true, `P${i + 1} ${ip}`);
    for (const ip of no) assert.equal(isAllocatable(a, ip), false, `P${i + 1} ${ip}`);
  });
});

test('worked examples (CAIP README and samples): README pool, samples pool, /32, /31, /64', () => {
  const readme = analyzePool(
    spec(22, '10.0.0.1', ['10.0.0.0/24', '10.0.1.10-10.0.1.100', '10.0.2.1', '10.0.2.2'], ['10.10.0.16/28', '10.10.0.242', '10.0.1.25-10.0.1.30']),
  );
  assert.equal(readme.total, 341n);
  assert.equal(findFree(readme, []), '10.0.0.2');
  const samples = analyzePool(spec(24, '10.0.0.1', ['10.0.0.2-10.0.0.254'], ['10.0.0.3-10.0.1.6', '10.0.0.10', '10.0.0.192/26']));
  assert.equal(samples.total, 1n);
  const single = analyzePool(spec(32, undefined, ['10.0.0.5']));
  assert.equal(single.total, 0n);
  assert.match(single.warnings.map((w) => w.message).join(), /allocateReservedIPAddresses/);
  assert.equal(analyzePool(spec(31, undefined, ['10.0.0.4/31'], undefined, true)).total, 2n);
  const v6 = analyzePool(spec(64, 'fd00::1', ['fd00::/64']));
  assert.equal(v6.total, (1n << 64n) - 2n);
  assert.equal(findFree(v6, []), 'fd00::2');
  assert.equal(poolStatus(v6, []).total, (1n << 63n) - 1n);
});

test('first free address (poolutil, controllers)', () => {
  const p = analyzePool(spec(24, undefined, ['10.0.0.10-10.0.0.20']));
  assert.equal(findFree(p, []), '10.0.0.10');
  assert.equal(findFree(p, ['10.0.0.10', '10.0.0.11']), '10.0.0.12');
  assert.equal(
    findFree(
      p,
      Array.from({ length: 10 }, (_, i) => `10.0.0.${10 + i}`),
    ),
    '10.0.0.20',
  );
  assert.equal(
    findFree(
      p,
      Array.from({ length: 11 }, (_, i) => `10.0.0.${10 + i}`),
    ),
    undefined,
  );
  const gap = analyzePool(spec(24, undefined, ['10.0.0.10-10.0.0.15', '10.0.0.20']));
  assert.equal(findFree(gap, ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.13', '10.0.0.14', '10.0.0.15']), '10.0.0.20');
  assert.equal(findFree(analyzePool(spec(24, '10.0.1.1', ['10.0.1.0', '10.0.1.1', '10.0.1.2', '10.0.1.255'])), []), '10.0.1.2');
  const c5 = analyzePool(spec(24, '10.1.1.1', ['10.1.1.0/24'], ['10.1.1.2-10.1.1.5', '10.1.1.7']));
  assert.deepEqual(nextFree(c5, [], 3), ['10.1.1.6', '10.1.1.8', '10.1.1.9']);
  assert.equal(findFree(analyzePool(spec(24, '10.0.1.1', ['10.0.1.3', '10.0.1.2'])), []), '10.0.1.2');
});

test('status counts (controllers) and outOfRange', () => {
  const rows: [number, string[], string | undefined, number, number, number][] = [
    [24, ['10.0.0.10-10.0.0.20'], undefined, 1, 11, 10],
    [24, ['10.0.0.10-10.0.0.20'], '10.0.0.10', 2, 10, 8],
    [24, ['10.0.0.10-10.0.0.20'], '10.0.0.1', 1, 11, 10],
    [24, ['10.0.0.0-10.0.0.1'], '10.0.0.2', 1, 1, 0],
    [24, ['10.0.0.254-10.0.0.255'], '10.0.0.1', 1, 1, 0],
    [120, ['fe80::ffff'], 'fe80::a', 1, 1, 0],
  ];
  for (const [prefix, addresses, gateway, claims, total, free] of rows) {
    const a = analyzePool(spec(prefix, gateway, addresses));
    const used: string[] = [];
    for (let i = 0; i < claims; i++) used.push(findFree(a, used)!);
    const s = poolStatus(a, used);
    assert.deepEqual([s.total, s.used, s.free], [BigInt(total), claims, BigInt(free)], addresses.join());
  }
  const o1 = analyzePool(spec(24, '10.0.0.1', ['10.0.0.13-10.0.0.20']));
  assert.equal(poolStatus(o1, ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.13', '10.0.0.14']).outOfRange, 3n);
});

test("webhook validation with CAIP's messages (webhooks)", () => {
  const messages = (s: PoolSpec) => analyzePool(s).errors.map((e) => `${e.field}: ${e.message}`);
  assert.deepEqual(messages(spec(28, '10.0.0.24', ['10.0.0.25', '10.0.0.26', '10.0.0.27'], ['10.0.0.23', '10.0.0.24'])), []);
  assert.deepEqual(messages(spec(28, 'fe01::1', ['fe01::2', 'fe01::3-fe01::5', 'fe01::1:1/126'], ['fe01::4', 'fe01::6-fe01::8', 'fe01::1:10/126'])), []);
  assert.deepEqual(messages(spec(0, undefined, ['10.0.0.10-10.0.0.20'])), []);
  assert.deepEqual(messages(spec(24, '10.0.0.1', [])), ['spec.addresses: addresses is required']);
  assert.deepEqual(messages(spec(24, 'invalid', ['10.0.0.25'])), ['spec.gateway: ParseAddr("invalid"): unable to parse IP']);
  assert.deepEqual(messages(spec(24, '10.0.0.1', ['10.0.0.25', '10.0.0.26', '10.0.1.27'])), [
    'spec.addresses: provided address belongs to a different subnet than others',
  ]);
  assert.deepEqual(messages(spec(24, '10.0.0.1', ['10.0.0.25', 'garbage'])), ['spec.addresses: provided address is not a valid IP, range, nor CIDR']);
  assert.deepEqual(messages(spec(-1, '10.0.0.1', ['10.0.0.25'])), ['spec.prefix: a valid prefix is required']);
  assert.deepEqual(messages(spec(9999, '10.0.0.1', ['10.0.0.25'])), ['spec.prefix: provided prefix is not valid']);
  assert.deepEqual(messages(spec(24, '10.0.0.1', ['10.0.1.0', '10.0.0.10-10.0.0.20'])), [
    'spec.addresses: provided address belongs to a different subnet than others',
  ]);
  assert.deepEqual(messages(spec(24, 'fd00::1', ['10.0.1.0', '10.0.0.2-10.0.0.250'])), [
    'spec.gateway: provided gateway and addresses are of mixed IP families',
  ]);
  assert.deepEqual(messages(spec(24, '10.0.0.1', ['fd00::1', '10.0.1.0'])), ['spec.addresses: provided addresses are of mixed IP families']);
  assert.deepEqual(messages(spec(24, '10.0.0.1', ['10.0.0.5'], ['fd00::1', '10.0.0.4'])), [
    'spec.excludedAddresses: provided addresses are of mixed IP families',
  ]);
  assert.deepEqual(messages(spec(24, '10.0.0.1', ['10.0.0.5'], ['fd00::1'])), [
    'spec.excludedAddresses: addresses and excluded addresses are of mixed IP families',
  ]);
  assert.deepEqual(messages({ addresses: ['10.0.0.5'] }), ['spec.prefix: Required value']);
});

test('reserved reasons and our own warnings', () => {
  const s = spec(24, '10.0.0.1', ['10.0.0.0/24'], ['10.0.0.100']);
  const a = analyzePool(s);
  assert.equal(reservedReason(a, s, '10.0.0.0'), 'network');
  assert.equal(reservedReason(a, s, '10.0.0.255'), 'broadcast');
  assert.equal(reservedReason(a, s, '10.0.0.1'), 'gateway');
  assert.equal(reservedReason(a, s, '10.0.0.100'), 'excluded');
  assert.equal(reservedReason(a, s, '10.0.0.101'), undefined);
  const g = analyzePool(spec(24, '10.0.1.1', ['10.0.0.10-10.0.0.20']));
  assert.match(g.warnings[0]!.message, /gateway 10.0.1.1 is outside the pool's subnet 10.0.0.0\/24/);
});

test('huge pools answer on ranges: /8 IPv4 and /64 IPv6 with 100,000 used addresses', () => {
  const used4 = Array.from({ length: 100_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  const a4 = analyzePool(spec(8, '10.0.0.1', ['10.0.0.0/8']));
  assert.equal(findFree(a4, used4), '10.1.134.160');
  // 10.0.0.0 (network) and 10.0.0.1 (gateway) are among the used: out of range, not used of the pool.
  assert.deepEqual(poolStatus(a4, used4), { total: (1n << 24n) - 3n, used: 99_998, free: (1n << 24n) - 3n - 99_998n, outOfRange: 2n });
  const used6 = Array.from({ length: 100_000 }, (_, i) => formatAddr({ family: 6, value: (0xfd00n << 112n) | BigInt(i + 1) }));
  const a6 = analyzePool(spec(64, undefined, ['fd00::/64']));
  assert.equal(findFree(a6, used6), 'fd00::1:86a1');
});
