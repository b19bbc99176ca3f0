// `capi-ipam allocate` / `release` from a terminal against each backend's management cluster.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { ROOT } from '../support/lspClient';
import { copyExamples } from '../support/workspaceCopy';

const G = 'ipam.cluster.x-k8s.io';
const CLI = join(ROOT, 'dist', 'cli.js');
let ws: ReturnType<typeof copyExamples>;
let sb: Backend;
const claim = (name: string, pool: string) =>
  ({ apiVersion: `${G}/v1beta2`, kind: 'IPAddressClaim', metadata: { name, namespace: 'default' }, spec: { poolRef: { apiGroup: G, kind: 'GlobalInClusterIPPool', name: pool } } });
const get = (kind: string, ns: string, name: string) => sb.get(`${G}/v1beta2`, kind, ns, name);

/** Runs the CLI asynchronously (the sandbox runs in this process and must keep answering). */
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ws.dir });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

for (const backend of backendNames()) describe(`CLI against the ${backend.name} backend`, { skip: backend.skip }, () => {
  before(async () => {
    ws = copyExamples();
    sb = await startBackend(backend.name, { kubeconfig: join(mkdtempSync(join(tmpdir(), 'capi-ipam-cli-')), 'kubeconfig') });
    await sb.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab' } });
    await sb.create({ apiVersion: `${G}/v1alpha2`, kind: 'GlobalInClusterIPPool', metadata: { name: 'cli-vips' }, spec: { addresses: ['10.30.0.10-10.30.0.12'], prefix: 24 } });
  });
  after(async () => {
    await sb?.stop();
    ws.dispose();
  });

  test('allocate claims from the cluster, rewrites every VIP place and the claim document, prints the address', async () => {
    const r = await run(['allocate', 'clusters/lab.yaml', '--cluster', 'lab', '--pool', 'cli-vips', '--kubeconfig', sb.kubeconfigPath, '--write-claim']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '10.30.0.10\n');
    assert.match(r.stderr, /IPAddressClaim lab\/lab-control-plane-vip holds 10\.30\.0\.10/);
    const text = readFileSync(join(ws.dir, 'clusters/lab.yaml'), 'utf8');
    assert.equal(text.match(/10\.30\.0\.10/g)?.length, 4);
    assert.match(text, /kind: IPAddressClaim\nmetadata:\n  name: lab-control-plane-vip/);
    assert.equal((await get('IPAddress', 'lab', 'lab-control-plane-vip'))?.spec.address, '10.30.0.10');
  });

  test('release deletes the claim; a second release says there is nothing to release', async () => {
    const r = await run(['release', 'clusters/lab.yaml', '--cluster', 'lab', '--kubeconfig', sb.kubeconfigPath]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /deleted IPAddressClaim lab\/lab-control-plane-vip/);
    await sb.waitFor(async () => !(await get('IPAddressClaim', 'lab', 'lab-control-plane-vip')), 10_000);
    const again = await run(['release', '--cluster', 'lab', '--namespace', 'lab', '--kubeconfig', sb.kubeconfigPath]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /no IPAddressClaim of cluster lab\/lab/);
  });

  test('exhausted pool: exit 1, a clear message, and no claim left behind', async () => {
    for (const n of ['x1', 'x2', 'x3']) await sb.create(claim(n, 'cli-vips'));
    await sb.waitFor(async () => (await Promise.all(['x1', 'x2', 'x3'].map((n) => get('IPAddress', 'default', n)))).every(Boolean), 10_000);
    const r = await run(['allocate', 'clusters/dev.yaml', '--cluster', 'dev', '--pool', 'cli-vips', '--kubeconfig', sb.kubeconfigPath, '--timeout', '2']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /did not allocate an address from GlobalInClusterIPPool cli-vips within 2 s.*was deleted, no address is held/);
    await sb.waitFor(async () => !(await get('IPAddressClaim', 'default', 'dev-control-plane-vip')), 10_000); // the provider drops its finalizer
    assert.equal(readFileSync(join(ws.dir, 'clusters/dev.yaml'), 'utf8').includes('10.30.0'), false);
  });

  test('an unreachable cluster fails fast with a clear message', async () => {
    const r = await run(['allocate', 'clusters/dev.yaml', '--cluster', 'dev', '--kubeconfig', join(ws.dir, 'no-such-kubeconfig')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no-such-kubeconfig/);
  });

  test('check --kubeconfig also checks against the management cluster (a CI job catches a VIP taken live)', async () => {
    await sb.create({ apiVersion: `${G}/v1alpha2`, kind: 'GlobalInClusterIPPool', metadata: { name: 'ci-check' }, spec: { addresses: ['10.10.0.30'], prefix: 24, allocateReservedIPAddresses: true } });
    await sb.create(claim('intruder', 'ci-check'));
    await sb.waitFor(() => get('IPAddress', 'default', 'intruder'), 10_000);
    const offline = await run(['check', 'clusters/dev.yaml']);
    assert.equal(offline.status, 0, offline.stdout);
    const live = await run(['check', 'clusters/dev.yaml', '--kubeconfig', sb.kubeconfigPath]);
    assert.equal(live.status, 1, live.stderr);
    assert.match(live.stdout, /clusters\/dev\.yaml:\d+:\d+: error \[ip-in-use\] 10\.10\.0\.30 is allocated to IPAddressClaim default\/intruder/);
    const pools = await run(['pools', 'clusters/dev.yaml', '--kubeconfig', sb.kubeconfigPath]);
    assert.match(pools.stdout, /^ci-check\s+GlobalInClusterIPPool\s+\["10\.10\.0\.30"\]\s+1\s+0\s+1\s+exhausted$/m);
  });
});
