// The CLI as the npm package a CI job installs (issue 24 item 5): `npm run package:cli` (npm pack in cli/)
// builds capi-ipam-VERSION.tgz; installed into an empty folder, with no registry to fall back on, its
// `capi-ipam` runs offline and against a management cluster.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { ROOT } from '../support/lspClient';

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const out = mkdtempSync(join(tmpdir(), 'capi-ipam-pack-'));
const project = mkdtempSync(join(tmpdir(), 'capi-ipam-install-'));
const bin = join(project, 'node_modules', '.bin', 'capi-ipam');
let tarball = '';
let sb: Sandbox;

const run = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(bin, args, { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });

before(async () => {
  const pack = spawnSync('npm', ['pack', '--pack-destination', out, '--json'], { cwd: join(ROOT, 'cli'), encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  assert.equal(info!.filename, `capi-ipam-${version}.tgz`);
  assert.deepEqual(info!.files.map((f) => f.path).sort(), ['LICENSE', 'README.md', 'dist/cli-live.js', 'dist/cli.js', 'package.json']);
  tarball = join(out, info!.filename);
  // An empty folder, the npm cache out of reach: the package must need nothing from a registry.
  const cache = mkdtempSync(join(tmpdir(), 'capi-ipam-empty-cache-'));
  const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', cache, tarball], { cwd: project, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr);
  sb = await startSandbox();
});

after(async () => {
  await sb?.stop();
  rmSync(out, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

test('the installed capi-ipam has the version of the repository and no dependencies', async () => {
  const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'capi-ipam', 'package.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(installed.version, version);
  assert.equal(installed.dependencies, undefined);
  assert.deepEqual(await run(['--version']), { status: 0, stdout: `${version}\n`, stderr: '' });
});

test('the installed capi-ipam checks files exactly as the development build does', async () => {
  const r = await run(['check', 'test/fixtures/workspace', '--no-resolve']);
  const dev = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', 'test/fixtures/workspace', '--no-resolve'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^test\/fixtures\/workspace\/clusters\/prod\.yaml:\d+:\d+: error \[vip-mismatch\] /m);
  assert.equal(r.stdout, dev.stdout);
});

test('the installed capi-ipam reads a management cluster (its live half is in the package)', async () => {
  const r = await run(['pools', 'test/fixtures/workspace/ipam', '--kubeconfig', sb.kubeconfigPath]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^vip-pool +GlobalInClusterIPPool /m);
});

test('README and the walkthrough install only this pinned package, never an unpinned npx', () => {
  const docs = ['README.md', 'CONTRIBUTING.md', 'resources/walkthrough/ci.md', 'cli/README.md'].map((f) => [f, readFileSync(join(ROOT, f), 'utf8')] as const);
  for (const [file, text] of docs) {
    assert.doesNotMatch(text, /npx (--yes |-y )?capi-ipam/, `${file} runs capi-ipam through npx`);
    for (const install of text.match(/npm install[^\n`]*capi-ipam[^\n`]*/g) ?? [])
      assert.ok(install.includes(`capi-ipam-${version}.tgz`) || install.includes(`capi-ipam@${version}`), `${file}: ${install} is not pinned to ${version}`);
  }
  assert.match(docs[2]![1], new RegExp(`- run: npm install --global --no-audit --no-fund \\./ci/capi-ipam-${version.replaceAll('.', '\\.')}\\.tgz\n`));
});
