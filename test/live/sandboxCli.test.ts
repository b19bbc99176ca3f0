// `npm run sandbox -- --workload NAMESPACE/NAME=SEED_DIR`: the command line a user runs, in its own process.
// It serves the management cluster and each workload cluster, prints where (never a token), writes the
// kubeconfig with a context per workload cluster, and refuses a malformed or duplicate --workload.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import YAML from 'yaml';
import { Rest } from '../realstack/rest';
import { ESTATE } from '../support/estateScenario';

const CLI = join(import.meta.dirname, '..', 'sandbox', 'cli.ts');
const args = (kubeconfig: string, ...more: string[]) => ['--import', 'tsx', CLI, '--kubeconfig', kubeconfig, ...more];
const children: ChildProcess[] = [];
after(() => children.forEach((c) => c.kill('SIGTERM')));

test('serves each workload cluster, prints where, and writes a context per workload cluster', { timeout: 60_000 }, async () => {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'capi-ipam-sandbox-cli-')), 'kubeconfig');
  const child = spawn(
    process.execPath,
    args(
      kubeconfig,
      '--seed',
      join(ESTATE, 'management.yaml'),
      '--workload',
      `default/prod=${join(ESTATE, 'workloads', 'prod')}`,
      '--workload',
      `default/lab=${join(ESTATE, 'workloads', 'lab')}`,
    ),
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (lines.length === 3) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}): ${lines.join('\n')}`)));
  });
  const url = String.raw`https://127\.0\.0\.1:\d+`;
  assert.match(lines[0]!, new RegExp(`^sandbox: serving ${url} \\(kubeconfig ${kubeconfig}, context sandbox\\)$`));
  assert.match(lines[1]!, new RegExp(`^sandbox: workload cluster default/prod serving ${url} \\(context prod, Secret default/prod-kubeconfig\\)$`));
  assert.match(lines[2]!, new RegExp(`^sandbox: workload cluster default/lab serving ${url} \\(context lab, Secret default/lab-kubeconfig\\)$`));

  const kc = YAML.parse(readFileSync(kubeconfig, 'utf8'));
  assert.deepEqual(
    kc.contexts.map((c: { name: string }) => c.name),
    ['sandbox', 'prod', 'lab'],
  );
  assert.equal(kc['current-context'], 'sandbox');
  for (const token of kc.users.map((u: { user: { token: string } }) => u.user.token)) assert.ok(!lines.join('\n').includes(token), 'no token is printed');
  const prod = kc.clusters.find((c: { name: string }) => c.name === 'prod').cluster;
  assert.equal(prod.server, /serving (\S+)/.exec(lines[1]!)![1]);
  const rest = new Rest(prod.server, Buffer.from(prod['certificate-authority-data'], 'base64').toString(), kc.users[1].user.token);
  const web = await rest.get('v1', 'Service', 'default', 'web');
  assert.equal(web?.spec?.loadBalancerIP, '10.10.0.40');
});

test('refuses a malformed --workload and two workload clusters of one name (exit 2 and 1, the reason on stderr)', () => {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'capi-ipam-sandbox-cli-')), 'kubeconfig');
  const bad = spawnSync(process.execPath, args(kubeconfig, '--workload', 'prod'), { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^sandbox: --workload "prod": expected NAMESPACE\/NAME=SEED_DIR\nusage: npm run sandbox -- /);
  const dir = join(ESTATE, 'workloads', 'lab');
  const twice = spawnSync(process.execPath, args(kubeconfig, '--workload', `default/lab=${dir}`, '--workload', `other/lab=${dir}`), { encoding: 'utf8' });
  assert.equal(twice.status, 1);
  assert.equal(twice.stderr, 'sandbox: --workload other/lab: the context name lab is taken\n');
});
