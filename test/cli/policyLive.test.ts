// `capi-ipam policy` and `pools` with --kubeconfig: the pools and the kubevip ConfigMap come from the
// management cluster (the sandbox seeded with the demo), not from files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { ROOT } from '../support/lspClient';

const CLI = join(ROOT, 'dist', 'cli.js');
const empty = mkdtempSync(join(tmpdir(), 'capi-ipam-policy-'));
let sb: Sandbox;

/** Runs the CLI asynchronously (the sandbox runs in this process and must keep answering). */
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: empty });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

before(async () => {
  sb = await startSandbox({ kubeconfig: join(empty, 'kubeconfig'), seed: [join(ROOT, 'test/fixtures/demo/management.yaml')] });
});
after(async () => {
  await sb.stop();
});

test('policy --kubeconfig: parameters from the live pools and the live kubevip ConfigMap', async () => {
  const r = await run(['policy', '.', '--kubeconfig', sb.kubeconfigPath, '--pool', 'vip-pool']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^# {3}VIP pool GlobalInClusterIPPool vip-pool: 42 allocatable address\(es\)$/m);
  assert.match(r.stdout, /^ {2}vipCidrs: 10\.10\.0\.16\/28,10\.10\.0\.32\/28,10\.10\.0\.48\/31,10\.10\.0\.56\/29$/m);
  assert.match(r.stdout, /^ {2}lbCidrs: 10\.10\.0\.60\/30,10\.10\.2\.0\/27,/m);
});

test('pools --kubeconfig: the live kube-vip ranges, counted as the provider does', async () => {
  const r = await run(['pools', '.', '--kubeconfig', sb.kubeconfigPath]);
  assert.equal(r.status, 0, r.stderr);
  const table = r.stdout
    .split('\n\n')[1]!
    .trimEnd()
    .split('\n')
    .map((line) => line.split(/ {3,}/));
  assert.deepEqual(table.slice(1), [
    ['cidr-global', 'global', '"10.10.2.0/27"', '31', '30', '1', '10.10.2.1'],
    ['range-default', 'default', '"10.10.0.60-10.10.0.63,10.10.2.100-10.10.2.120"', '25', '24', '1', '10.10.0.60'],
  ]);
});
