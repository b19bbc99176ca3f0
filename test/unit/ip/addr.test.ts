import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonical, parseAddr } from '../../../server/src/engine/ip/addr';
import { parseEntry } from '../../../server/src/engine/ip/entry';
import { RangeSet } from '../../../server/src/engine/ip/range-set';

test('IPv4 parsing is as strict as Go netip', () => {
  assert.equal(canonical('10.0.0.1'), '10.0.0.1');
  for (const bad of ['010.0.0.1', '10.0.0', '10.0.0.1.2', '10.0.0.256', '10..0.1', ' 10.0.0.1', '10.0.0.1 ', '1', '0x0a.0.0.1', '']) {
    assert.equal(parseAddr(bad).ok, false, bad);
  }
  const r = parseAddr('10.0.0.256');
  assert.equal(r.ok ? '' : r.error, 'ParseAddr("10.0.0.256"): IPv4 field has value >255');
  const z = parseAddr('010.0.0.1');
  assert.equal(z.ok ? '' : z.error, 'ParseAddr("010.0.0.1"): IPv4 field has octet with leading zero');
  assert.equal(parseAddr('invalid').ok ? '' : (parseAddr('invalid') as { error: string }).error, 'ParseAddr("invalid"): unable to parse IP');
});

test('IPv6 parsing and RFC 5952 output like Go Addr.String()', () => {
  assert.equal(canonical('FD00:0000:0000:0001:0000:0000:0000:0000'), 'fd00:0:0:1::');
  assert.equal(canonical('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canonical('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1');
  assert.equal(canonical('::ffff:10.0.0.1'), '::ffff:10.0.0.1');
  assert.equal(parseAddr('::ffff:10.0.0.1').ok && (parseAddr('::ffff:10.0.0.1') as { value: { family: number } }).value.family, 6);
  assert.equal(canonical('fe80::1%eth0'), 'fe80::1');
  for (const bad of ['fe80::zzzz', '1::2::3', 'fe80::1%', '12345::1', '::ffff:010.0.0.1', ':::']) assert.equal(parseAddr(bad).ok, false, bad);
});

test('entry syntax: ranges, CIDRs with host bits, single IPs (CAIP poolutil/pool_test.go)', () => {
  for (const ok of ['192.168.1.2', '192.168.1.2-192.168.1.4', '192.168.1.2/24', 'fe80::1', 'fe80::1-fe80::3', 'fe80::1/64']) {
    assert.equal(parseEntry(ok).ok, true, ok);
  }
  for (const bad of [
    '192.168.1.2.4',
    '192.168.1.2612',
    '192.168.1.4-192.168.1.1',
    '192.168.1.2/33',
    'fe80::zzzz',
    'fe80::3-fe80::1',
    'fe80::1/129',
    '192.168.1.2-192.168.1.4-',
    '192.168.1.2-192.168.1.4-192.168.1.9',
    '192.168.1.4/21-192.168.1.2',
    '192.168.1.4/-192.168.1.2',
    '10.0.0.0/024',
    'fe80::1%eth0/64',
    '10.0.0.1-fd00::1',
  ]) {
    assert.equal(parseEntry(bad).ok, false, bad);
  }
  const count = (list: string[]) => {
    const rs = list.map((e) => parseEntry(e)).map((r) => (r.ok ? r.value : assert.fail()));
    return RangeSet.of(
      rs[0]?.family ?? 4,
      rs.map((r) => [r.first, r.last] as const),
    ).size();
  };
  assert.equal(count([]), 0n);
  assert.equal(count(['192.168.1.1-192.168.1.10', '192.168.1.20-192.168.1.25']), 16n);
  assert.equal(count(['192.168.1.1-192.168.1.10', '192.168.1.5-192.168.1.15']), 15n);
  assert.equal(count(['192.168.1.1/24', '192.168.2.1/31']), 258n);
  assert.equal(count(['fe80::1/126']), 4n);
  assert.equal(count(['fe80::1/65']), 1n << 63n);
});

test('range sets subtract, intersect and search on ranges', () => {
  const a = RangeSet.of(4, [
    [10n, 20n],
    [30n, 40n],
  ]);
  const b = RangeSet.of(4, [
    [15n, 32n],
    [40n, 40n],
  ]);
  assert.deepEqual(a.subtract(b).ranges, [
    [10n, 14n],
    [33n, 39n],
  ]);
  assert.deepEqual(a.intersect(b).ranges, [
    [15n, 20n],
    [30n, 32n],
    [40n, 40n],
  ]);
  assert.deepEqual(
    RangeSet.of(4, [
      [1n, 2n],
      [3n, 4n],
    ]).ranges,
    [[1n, 4n]],
  );
  assert.equal(a.contains(35n), true);
  assert.equal(a.contains(25n), false);
  assert.equal(a.covers(RangeSet.of(4, [[31n, 33n]])), true);
});
