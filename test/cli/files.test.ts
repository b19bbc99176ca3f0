// The CLI walk over a hostile tree: symlinked directories (ln -s /etc), a link to a pool outside the
// tree, /dev/zero, a FIFO, a symlink loop. Each is reported, the rest is checked, exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';

const CLI = join(ROOT, 'dist', 'cli.js');
const cluster = (name: string, host: string) =>
  `apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  controlPlaneEndpoint:\n    host: ${host}\n    port: 6443\n`;

test('check reports links out of the tree, special files and loops, checks the rest, and exits 2', () => {
  const base = mkdtempSync(join(tmpdir(), 'capi-ipam-walk-'));
  const tree = join(base, 'tree');
  const elsewhere = join(base, 'elsewhere');
  mkdirSync(join(tree, 'sub'), { recursive: true });
  mkdirSync(elsewhere);
  writeFileSync(join(tree, 'sub', 'ok.yaml'), cluster('ok', '999.0.0.1'));
  writeFileSync(join(elsewhere, 'secret.yaml'), cluster('elsewhere', '999.0.0.2'));
  symlinkSync('/etc', join(tree, 'etc'));
  symlinkSync(elsewhere, join(tree, 'linked-dir'));
  symlinkSync(join(elsewhere, 'secret.yaml'), join(tree, 'out.yaml'));
  symlinkSync('/dev/zero', join(tree, 'zero.yaml'));
  symlinkSync('loop.yaml', join(tree, 'loop.yaml'));
  assert.equal(spawnSync('mkfifo', [join(tree, 'fifo.yaml')]).status, 0);

  const r = spawnSync(process.execPath, [CLI, 'check', 'tree', '--format', 'json'], { cwd: base, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.signal, null, 'the walk finishes (no blocking read)');
  assert.equal(r.status, 2, r.stderr);
  const files = (JSON.parse(r.stdout) as { file: string; code: string }[]).map((f) => `${f.file} ${f.code}`);
  assert.deepEqual(files, ['tree/sub/ok.yaml invalid-ip'], 'only the regular file inside the tree is checked');
  assert.deepEqual(r.stderr.trim().split('\n').sort(), [
    `capi-ipam: tree/fifo.yaml: not a regular file: not read`,
    `capi-ipam: tree/loop.yaml: ELOOP`,
    `capi-ipam: tree/out.yaml: resolves outside the workspace (${join(elsewhere, 'secret.yaml')}): not read`,
    `capi-ipam: tree/zero.yaml: resolves outside the workspace (/dev/zero): not read`,
  ]);
});

test('a file named on the command line is read through its link, but a FIFO is still refused', () => {
  const base = mkdtempSync(join(tmpdir(), 'capi-ipam-named-'));
  writeFileSync(join(base, 'real.yaml'), cluster('real', '999.0.0.3'));
  symlinkSync(join(base, 'real.yaml'), join(base, 'named.yaml'));
  assert.equal(spawnSync('mkfifo', [join(base, 'pipe.yaml')]).status, 0);
  const ok = spawnSync(process.execPath, [CLI, 'check', 'named.yaml'], { cwd: base, encoding: 'utf8', timeout: 20_000 });
  assert.equal(ok.status, 1, ok.stderr);
  assert.match(ok.stdout, /^named\.yaml:8:11: error \[invalid-ip\]/m);
  const fifo = spawnSync(process.execPath, [CLI, 'check', 'pipe.yaml'], { cwd: base, encoding: 'utf8', timeout: 20_000 });
  assert.equal(fifo.signal, null);
  assert.equal(fifo.status, 2);
  assert.equal(fifo.stderr, 'capi-ipam: pipe.yaml: not a regular file: not read\n');
});
