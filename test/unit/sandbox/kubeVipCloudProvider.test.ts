// The sandbox's model of kube-vip's cloud provider against the provider's own test cases
// (pkg/ipam/ipam_test.go, pkg/provider/loadBalancer_test.go; listed in /work/shared/notes/kubevip-capv.md §3.5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePool, pick, poolFor } from '../../sandbox/kubeVipCloudProvider';

const first = (value: string, inUse: string[] = [], opts: { desc?: boolean; skipEnds?: boolean } = {}, family: 4 | 6 = value.includes(':') ? 6 : 4) =>
  pick(parsePool(value)!, family, new Set(inUse), opts);

test('ranges: ascending and descending, skipping IPv4 .255 and .0 across a /24 boundary', () => {
  assert.equal(first('192.168.0.10-192.168.0.12'), '192.168.0.10');
  assert.equal(first('192.168.0.10-192.168.0.12', [], { desc: true }), '192.168.0.12');
  assert.equal(first('192.168.0.253-192.168.1.2', ['192.168.0.253', '192.168.0.254']), '192.168.1.1');
  assert.equal(first('192.168.0.253-192.168.1.2', ['192.168.1.1', '192.168.1.2'], { desc: true }), '192.168.0.254');
  assert.equal(first('192.168.0.10-192.168.0.11,192.168.1.20-192.168.1.21', ['192.168.0.9', '192.168.0.10']), '192.168.0.11');
});

test('IPv6 ranges are never skipped and print like Go', () => {
  assert.equal(first('fe80::ffff-fe80::1:3', ['fe80::ffff']), 'fe80::1:0');
  assert.equal(first('fe80::13-fe80::14', [], { desc: true }), 'fe80::14');
  assert.equal(first('fe80::10-fe80::12,fe81::20-fe81::21', ['fe80::10', 'fe80::11', 'fe80::12']), 'fe81::20');
});

test('CIDRs: whole prefix, host bits ignored, skip-end-ips, merged overlaps', () => {
  assert.equal(first('192.168.0.200/30'), '192.168.0.200');
  assert.equal(first('192.168.0.200/30', [], { skipEnds: true }), '192.168.0.201');
  assert.equal(first('192.168.0.200/30', [], { desc: true, skipEnds: true }), '192.168.0.202');
  assert.equal(first('192.168.0.10/24'), '192.168.0.1');
  assert.equal(first('192.168.0.10/24', [], { desc: true }), '192.168.0.254');
  assert.equal(first('192.168.0.255/30', ['192.168.0.252', '192.168.0.253', '192.168.0.254']), undefined);
  assert.equal(first('192.168.0.200/30,192.168.0.200/29', ['192.168.0.201', '192.168.0.202'], { desc: true }), '192.168.0.207');
  assert.equal(first('2001::10/126,2001::12/127', ['2001::10', '2001::11']), '2001::12');
});

test('malformed values: whitespace is not trimmed, a bad entry spoils the pool', () => {
  assert.equal(parsePool('10.0.0.0/30, 10.0.1.0/30'), undefined);
  assert.equal(parsePool('10.0.0.5-10.0.0.1'), undefined);
  assert.equal(parsePool('10.0.0.1-fe80::1'), undefined);
});

test('pool lookup order: cidr-<ns>, cidr-global, range-<ns>, range-global; the value decides the format', () => {
  const data = { 'cidr-system': '10.10.10.8/29', 'cidr-global': '192.168.1.0/24', 'range-team': '10.0.0.1-10.0.0.2', 'range-global': '10.0.1.1-10.0.1.2' };
  assert.deepEqual(poolFor(data, 'system'), { value: '10.10.10.8/29', global: false, cidr: true });
  assert.deepEqual(poolFor(data, 'team'), { value: '192.168.1.0/24', global: true, cidr: true });
  assert.deepEqual(poolFor({ 'range-team': '10.0.0.1-10.0.0.2', 'range-global': 'x' }, 'team'), { value: '10.0.0.1-10.0.0.2', global: false, cidr: false });
  assert.deepEqual(poolFor({ 'cidr-x': '10.0.0.1-10.0.0.2' }, 'x'), { value: '10.0.0.1-10.0.0.2', global: false, cidr: false });
  assert.equal(poolFor({}, 'x'), undefined);
});
