// kube-vip LoadBalancer rules from the CLI on Service fixtures: exactly these findings, in these words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';

const CLI = join(ROOT, 'dist', 'cli.js');

test('check test/fixtures/lb: lb-ip-conflict, lb-ip-outside-range, lb-range-pool-overlap, invalid-lb-range', () => {
  const r = spawnSync(process.execPath, [CLI, 'check', 'test/fixtures/lb'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(r.stdout.trimEnd().split('\n'), [
    'test/fixtures/lb/cluster.yaml:8:11: error [duplicate-ip] 10.20.0.21 is the load-balancer IP of Service default/dns.',
    'test/fixtures/lb/kubevip.yaml:10:27: error [invalid-lb-range] cidr-apps: netip.ParsePrefix(" 10.20.3.16/28"): ParseAddr(" 10.20.3.16"): unexpected character (at " 10.20.3.16") (the provider does not trim spaces around commas)',
    'test/fixtures/lb/kubevip.yaml:11:14: error [lb-range-pool-overlap] range-lab entry 10.20.0.60-10.20.0.70 overlaps GlobalInClusterIPPool vip-pool: 4 address(es) both the kube-vip cloud provider and the IPAM provider can hand out, e.g. 10.20.0.60.',
    'test/fixtures/lb/services.yaml:7:34: error [lb-ip-conflict] 10.20.2.5 is also the load-balancer IP of Service web/admin (sharing needs allow-share for both namespaces and ports on both Services that do not overlap).',
    'test/fixtures/lb/services.yaml:30:34: error [lb-ip-conflict] 10.20.2.5 is also the load-balancer IP of Service web/frontend (sharing needs allow-share for both namespaces and ports on both Services that do not overlap).',
    'test/fixtures/lb/services.yaml:42:34: warning [lb-ip-outside-range] 10.20.1.15 is outside cidr-global 10.20.1.0/28, the kube-vip range namespace default draws from: skip-end-ips-in-cidr drops the first and last address of each CIDR.',
    'test/fixtures/lb/services.yaml:55:19: error [lb-ip-conflict] 10.20.0.21 is also the control-plane VIP of cluster default/alpha: kube-vip would announce it for both.',
    'test/fixtures/lb/services.yaml:55:19: warning [lb-ip-outside-range] 10.20.0.21 is outside cidr-global 10.20.1.0/28, the kube-vip range namespace default draws from.',
    'test/fixtures/lb/services.yaml:65:34: error [lb-ip-conflict] 10.20.0.20 is allocated from IPAM pool GlobalInClusterIPPool vip-pool to IPAddressClaim default/beta-vip.',
    'test/fixtures/lb/services.yaml:65:34: warning [lb-ip-outside-range] 10.20.0.20 is outside cidr-global 10.20.1.0/28, the kube-vip range namespace default draws from.',
    '7 error(s), 3 warning(s), 0 note(s) in 4 file(s)',
  ]);
});

test('pools lists the kube-vip ranges with total, used, free and first free as the provider computes them', () => {
  const r = spawnSync(process.execPath, [CLI, 'pools', 'test/fixtures/lb'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const table = r.stdout
    .split('\n\n')[1]!
    .trimEnd()
    .split('\n')
    .map((line) => line.split(/ {3,}/));
  assert.deepEqual(table, [
    ['KUBE-VIP KEY', 'SCOPE', 'VALUE', 'TOTAL', 'FREE', 'USED', 'FIRST FREE'],
    ['cidr-global', 'global', '"10.20.1.0/28"', '14', '13', '1', '10.20.1.1'], // skip-end-ips-in-cidr: .1-.14; 10.20.1.15 is not counted
    ['cidr-web', 'web', '"10.20.2.0/28"', '14', '13', '1', '10.20.2.1'], // three Services, one shared address
    ['cidr-apps', 'apps', '"10.20.3.0/28, 10.20.3.16/28"', '0', '0', '0', 'invalid'],
    ['range-lab', 'lab', '"10.20.0.60-10.20.0.70"', '11', '11', '0', '10.20.0.60'],
  ]);
  assert.equal(r.stderr, 'kube-vip cidr-apps: netip.ParsePrefix(" 10.20.3.16/28"): ParseAddr(" 10.20.3.16"): unexpected character (at " 10.20.3.16")\n');
  const json = JSON.parse(spawnSync(process.execPath, [CLI, 'pools', 'test/fixtures/lb', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' }).stdout) as {
    kind: string;
    key?: string;
    users?: string[];
  }[];
  assert.deepEqual(json.find((x) => x.key === 'cidr-web')!.users, ['web/frontend', 'web/api', 'web/admin']);
});

test('policy: VAP by default, Kyverno on request, the parameters ConfigMap first; bad format is a usage error', () => {
  const vap = spawnSync(process.execPath, [CLI, 'policy', 'test/fixtures/lb', '--pool', 'vip-pool'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(vap.status, 0, vap.stderr);
  assert.deepEqual(
    [...vap.stdout.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]),
    ['ConfigMap', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
  );
  assert.match(vap.stdout, /^ {2}vipCidrs: 10\.20\.0\.16\/28,10\.20\.0\.32\/27$/m);
  // cidr-apps cannot be parsed: left out, and said so; skip-end-ips-in-cidr drops the CIDR ends.
  assert.match(vap.stdout, /^ {2}lbCidrs: 10\.20\.0\.60\/30,10\.20\.0\.64\/30,10\.20\.0\.68\/31,10\.20\.0\.70\/32,10\.20\.1\.1\/32,10\.20\.1\.2\/31,/m);
  assert.match(vap.stdout, /^# {3}left out kube-vip cidr-apps: netip\.ParsePrefix/m);
  const kyverno = spawnSync(process.execPath, [CLI, 'policy', 'test/fixtures/lb', '--format', 'kyverno'], { cwd: ROOT, encoding: 'utf8' });
  assert.deepEqual(
    [...kyverno.stdout.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]),
    ['ConfigMap', 'ClusterPolicy'],
  );
  const bad = spawnSync(process.execPath, [CLI, 'policy', '--format', 'opa'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown --format opa \(vap or kyverno\)/);
  const none = spawnSync(process.execPath, [CLI, 'policy', 'test/fixtures/lb', '--pool', 'nope'], { cwd: ROOT, encoding: 'utf8' });
  assert.match(none.stderr, /no valid VIP pool: the policy rejects every concrete control-plane endpoint/);
  assert.match(none.stdout, /^# {3}no pool named nope$/m);
});
