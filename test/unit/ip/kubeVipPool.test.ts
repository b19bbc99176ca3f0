// The kube-vip cloud provider's arithmetic, checked against the provider's own test cases
// (kube-vip-cloud-provider pkg/ipam/ipam_test.go) and Go's error texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAddr, parseAddr } from '../../../server/src/engine/ip/addr';
import { handOutCount, handsOut, nextFree, providerPool } from '../../../server/src/engine/ip/kubeVipPool';
import { RangeSet } from '../../../server/src/engine/ip/range-set';

const addr = (s: string) => {
  const a = parseAddr(s);
  assert.ok(a.ok, s);
  return a.value;
};

/** The provider's pick from `value` with `used` taken, as text. */
function pick(value: string, used: string[], opts: { desc?: boolean; skip?: boolean } = {}): string | undefined {
  const pool = providerPool(value, opts.skip);
  assert.deepEqual(
    pool.entries.filter((e) => e.error),
    [],
    value,
  );
  for (const set of pool.sets) {
    const taken = RangeSet.ofValues(
      set.family,
      used
        .map(addr)
        .filter((a) => a.family === set.family)
        .map((a) => a.value),
    );
    const v = nextFree(set, taken, opts.desc);
    if (v !== undefined) return formatAddr({ family: set.family, value: v });
  }
  return undefined;
}

test('ranges: first free, ascending and descending, never .0 or .255, IPv6 unskipped', () => {
  assert.equal(pick('192.168.0.10-192.168.0.10', []), '192.168.0.10');
  assert.equal(pick('192.168.0.10-192.168.0.12', [], { desc: true }), '192.168.0.12');
  assert.equal(pick('192.168.0.253-192.168.1.2', ['192.168.0.253', '192.168.0.254']), '192.168.1.1');
  assert.equal(pick('192.168.0.253-192.168.1.2', ['192.168.1.1', '192.168.1.2'], { desc: true }), '192.168.0.254');
  assert.equal(pick('192.168.0.10-192.168.0.11,192.168.1.20-192.168.1.21', ['192.168.0.9', '192.168.0.10']), '192.168.0.11');
  assert.equal(pick('192.168.0.10-192.168.0.11,192.168.1.20-192.168.1.22', ['192.168.1.21', '192.168.1.22'], { desc: true }), '192.168.1.20');
  assert.equal(pick('fe80::ffff-fe80::1:3', ['fe80::ffff']), 'fe80::1:0');
  assert.equal(pick('fe80::ffff-fe80::1:3', ['fe80::1:3', 'fe80::1:2', 'fe80::1:1', 'fe80::1:0'], { desc: true }), 'fe80::ffff');
  assert.equal(pick('fe80::10-fe80::12,fe81::20-fe81::21', ['fe80::10', 'fe80::11', 'fe80::12']), 'fe81::20');
});

test('CIDRs: whole prefix unless skip-end-ips-in-cidr, which drops the ends of each merged prefix', () => {
  assert.equal(pick('192.168.0.200/30', []), '192.168.0.200');
  assert.equal(pick('192.168.0.200/30', [], { skip: true }), '192.168.0.201');
  assert.equal(pick('192.168.0.200/30', [], { desc: true }), '192.168.0.203');
  assert.equal(pick('192.168.0.200/30', [], { desc: true, skip: true }), '192.168.0.202');
  assert.equal(pick('192.168.0.10/24', []), '192.168.0.1');
  assert.equal(pick('192.168.0.10/24', [], { desc: true }), '192.168.0.254');
  assert.equal(pick('192.168.0.255/30', ['192.168.0.252', '192.168.0.253', '192.168.0.254']), undefined);
  const used = ['192.168.0.201', '192.168.0.202'];
  assert.equal(pick('192.168.0.200/30,192.168.0.200/29', used), '192.168.0.200');
  assert.equal(pick('192.168.0.200/30,192.168.0.200/29', used, { skip: true }), '192.168.0.203');
  assert.equal(pick('192.168.0.200/30,192.168.0.200/29', used, { desc: true }), '192.168.0.207');
  assert.equal(pick('192.168.0.200/30,192.168.0.200/29', used, { desc: true, skip: true }), '192.168.0.206');
  assert.equal(pick('2001::49fe/127', [], { skip: true }), '2001::49fe');
  assert.equal(pick('2001::49fe/127', [], { desc: true }), '2001::49ff');
  assert.equal(pick('2001::10/126,2001::12/127', ['2001::10', '2001::11'], { desc: true }), '2001::13');
  // A /31 and a /32 keep their addresses with skip; merged /30 + /31 are two prefixes, each loses its ends.
  assert.deepEqual(providerPool('10.0.0.6/31,10.0.0.9/32', true).sets[0]!.describe(), ['10.0.0.6-10.0.0.7', '10.0.0.9']);
  assert.deepEqual(providerPool('10.0.0.0/30,10.0.0.4/31', true).sets[0]!.describe(), ['10.0.0.1-10.0.0.2', '10.0.0.4-10.0.0.5']);
});

test('counts by arithmetic: .0 and .255 never handed out', () => {
  const [v4] = providerPool('10.0.0.0/16').sets;
  assert.equal(handOutCount(v4!), 65536n - 512n);
  assert.equal(handOutCount(providerPool('192.168.0.253-192.168.1.2').sets[0]!), 4n);
  assert.equal(handOutCount(providerPool('fd00::/120').sets[0]!), 256n);
  assert.equal(handsOut(providerPool('192.168.0.0/24'), addr('192.168.0.255')), false);
  assert.equal(handsOut(providerPool('192.168.0.0/24'), addr('192.168.0.7')), true);
  assert.equal(handsOut(providerPool('0.0.0.0/32'), addr('0.0.0.0')), true);
  assert.equal(providerPool('0.0.0.0/32').mode, 'dhcp');
});

test("entries the provider cannot parse, in its own (Go's) words", () => {
  const errors = (value: string) => providerPool(value).entries.map((e) => e.error);
  assert.deepEqual(errors('10.0.0.0/30, 10.0.1.0/30'), [
    undefined,
    'netip.ParsePrefix(" 10.0.1.0/30"): ParseAddr(" 10.0.1.0"): unexpected character (at " 10.0.1.0")',
  ]);
  assert.deepEqual(errors('10.0.0.1-10.0.0.5, 10.0.1.1-10.0.1.5'), [undefined, 'ParseAddr(" 10.0.1.1"): unexpected character (at " 10.0.1.1")']);
  assert.deepEqual(errors('10.0.0.1-10.0.0.5,10.0.1.0/24'), ['netip.ParsePrefix("10.0.0.1-10.0.0.5"): no \'/\'', undefined]);
  assert.deepEqual(errors('10.0.0.5'), ['unable to parse IP range [10.0.0.5]']);
  assert.deepEqual(errors('10.0.0.9-10.0.0.5'), ['AddRange(10.0.0.9-10.0.0.5)']);
  assert.deepEqual(errors('10.0.0.0/33'), ['netip.ParsePrefix("10.0.0.0/33"): prefix length out of range']);
  assert.deepEqual(errors('10.0.0.0/024'), ['netip.ParsePrefix("10.0.0.0/024"): bad bits after slash: "024"']);
  assert.deepEqual(errors('10.0.0.256-10.0.1.1'), ['ParseAddr("10.0.0.256"): IPv4 field has value >255']);
  assert.deepEqual(errors('10.0.0.1-10.0.0.2,'), [undefined, 'unable to parse IP range []']);
  assert.equal(providerPool('').error, 'could not discover address: pool is not specified');
});
