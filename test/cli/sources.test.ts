// The other address sources from the CLI (issue 23), over test/fixtures/sources: one file at a time,
// exactly these findings in these words at these places, and the pools table of external IPAMs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';

const CLI = join(ROOT, 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
const F = 'test/fixtures/sources';

test('check: a VIP in a node range, a rollout that would not fit, a MetalLB pool over the VIP pool', () => {
  const r = run('check', `${F}/proxmox.yaml`, `${F}/metallb.yaml`, '--format', 'json');
  assert.equal(r.status, 1, r.stderr);
  const found = (JSON.parse(r.stdout) as { code: string; severity: string; file: string; line: number; column: number }[]).map(
    (f) => `${f.file.replace(`${F}/`, '')}:${f.line}:${f.column} ${f.severity} ${f.code}`,
  );
  assert.deepEqual(found, [
    'metallb.yaml:11:7 error lb-pool-overlap',
    'metallb.yaml:61:11 warning lb-range-overlap',
    'metallb.yaml:84:33 warning lb-ip-outside-range',
    'metallb.yaml:97:19 warning lb-ip-outside-range',
    'proxmox.yaml:21:9 warning rollout-capacity',
    'proxmox.yaml:25:11 warning vip-in-node-pool',
    'proxmox.yaml:58:13 warning rollout-capacity',
    'proxmox.yaml:73:13 warning rollout-capacity',
  ]);
});

test('pools: external IPAMs show where their ranges live, the prefix pool its next sub-prefix', () => {
  const r = run('pools', `${F}/external.yaml`, `${F}/prefix-pools.yaml`);
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout
    .split('\n\n')[0]!
    .trimEnd()
    .split('\n')
    .map((line) => line.split(/ {3,}/));
  assert.deepEqual(rows.slice(0, 4), [
    ['NAME', 'KIND', 'ADDRESSES', 'TOTAL', 'FREE', 'USED', 'FIRST FREE'],
    ['default/infoblox-vips', 'InfobloxIPPool', 'ranges managed by Infoblox', '-', '-', '1', '-'],
    ['netbox-dc1', 'GlobalNetBoxIPPool', 'ranges managed by NetBox', '-', '-', '0', '-'],
    ['default/pods-v6', 'InClusterPrefixPool', '["fd00:10::/62"]', '3', '3', '0', 'fd00:10::/64'],
  ]);
});
