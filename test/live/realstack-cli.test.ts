// `npm run realstack`'s CLI: writes the kubeconfig once ready (kubectl sees the real server and the
// provider's work), and SIGTERM, SIGINT or even SIGKILL of it leaves no process of the stack behind.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendNames } from '../support/backend';
import { poll } from '../realstack/rest';

const real = backendNames().find((b) => b.name === 'real');
const CLI = join(import.meta.dirname, '..', 'realstack', 'cli.ts');
const SEED = join(import.meta.dirname, '..', 'fixtures', 'sandbox', 'seed');

/** Every live process whose ancestry leads to `root` (from /proc). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited */
    }
  }
  const out: number[] = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p; p = parent.get(p))
      if (p === root) {
        out.push(pid);
        break;
      }
  }
  return out;
}

const alive = (pid: number) => {
  try {
    return !/^\S+ \S+ Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
  } catch {
    return false;
  }
};

async function startCli(): Promise<{ pid: number; kubeconfig: string; exited: Promise<number | null>; out: () => string }> {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'realstack-cli-')), 'kubeconfig');
  const p = spawn(process.execPath, ['--import', 'tsx', CLI, '--kubeconfig', kubeconfig, '--seed', SEED], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  await poll(async () => existsSync(kubeconfig) || p.exitCode !== null, 300_000, 'the kubeconfig');
  assert.ok(existsSync(kubeconfig), out);
  return { pid: p.pid!, kubeconfig, exited, out: () => out };
}

describe('npm run realstack', { skip: !real ? 'CAPI_IPAM_BACKENDS selects the sandbox only' : real.skip }, () => {
  test('kubectl sees the real server; a claim on a seeded pool gets the lowest free address', async () => {
    const s = await startCli();
    try {
      const kubectl = (...args: string[]) =>
        execFileSync('/usr/bin/kubectl', ['--kubeconfig', s.kubeconfig, ...args], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '' } });
      assert.match(s.out(), /realstack: serving https:\/\/127\.0\.0\.1:\d+ .*kube-apiserver v1\.\d+\.\d+/);
      assert.match(JSON.parse(kubectl('version', '-o', 'json')).serverVersion.gitVersion, /^v1\.3[4-7]\.\d+$/);
      assert.equal(kubectl('create', 'namespace', 'x'), 'namespace/x created\n');
      assert.equal(kubectl('get', 'ipaddresses.ipam.cluster.x-k8s.io', '-n', 'clusters', 'workload-1-vip', '-o', 'jsonpath={.spec.address}'), '10.40.0.10');
    } finally {
      process.kill(s.pid, 'SIGTERM');
      await s.exited;
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGKILL'] as const) {
    test(`${signal} leaves no process behind`, async () => {
      const s = await startCli();
      const procs = descendants(s.pid);
      assert.ok(procs.length >= 4, `the stack runs as children of the CLI: ${procs}`);
      process.kill(s.pid, signal);
      await s.exited;
      await poll(async () => procs.every((p) => !alive(p)), 30_000, `no process left of ${procs}`);
    });
  }
});
