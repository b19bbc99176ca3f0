// The CLI and the editor walk a folder alike (server/src/folderFiles.ts): for the same folder and
// include/exclude settings, `capi-ipam pools` and the language server's scan see the same files.
// The tree holds what repositories hold: dot folders, dist/, node_modules/ and .git/ (never walked,
// even when the exclude setting leaves them out), symlinks in and out, a linked folder and a FIFO.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';
import { runCli } from '../support/cli';
import { yamlFiles } from '../../server/src/cli/files';
import { matches, scanFolder } from '../../server/src/lsp/workspaceFiles';

const base = mkdtempSync(join(tmpdir(), 'capi-ipam-walk-'));
const dir = join(base, 'ws');
const outside = join(base, 'outside');
const SETTINGS = { include: ['**/*.yaml', '**/*.yml', 'manifests/*.manifest'], exclude: ['vendor/**'] };

const pool = (name: string) => `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: GlobalInClusterIPPool
metadata:
  name: ${name}
spec:
  addresses: ["10.0.0.10-10.0.0.20"]
  prefix: 24
`;
const MARKER = `---
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: marker
  namespace: default
spec:
  controlPlaneEndpoint:
    host: 999.0.0.1
    port: 6443
`;

function write(rel: string, text: string): void {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

before(() => {
  write('a.yaml', pool('a') + MARKER);
  write('b.yml', pool('b'));
  write('sub/deep/c.yaml', pool('c'));
  write('.github/d.yaml', pool('dot'));
  write('dist/e.yaml', pool('dist'));
  write('manifests/f.manifest', pool('manifest'));
  write('manifests/deeper/g.manifest', pool('not-included'));
  write('notes.txt', pool('txt'));
  write('vendor/v.yaml', pool('excluded'));
  write('node_modules/pkg/n.yaml', pool('node-modules'));
  write('.git/refs/x.yaml', pool('git'));
  mkdirSync(outside);
  writeFileSync(join(outside, 'o.yaml'), pool('outside'));
  symlinkSync(join(dir, 'b.yml'), join(dir, 'link-in.yaml'));
  symlinkSync(join(outside, 'o.yaml'), join(dir, 'link-out.yaml'));
  symlinkSync(outside, join(dir, 'linked.yaml'));
  symlinkSync(outside, join(dir, 'linked-dir'));
  assert.equal(spawnSync('mkfifo', [join(dir, 'fifo.yaml')]).status, 0);
});

after(() => rmSync(base, { recursive: true, force: true }));

test('the CLI and the language server see the same files of a folder', async () => {
  const args = SETTINGS.include.flatMap((g) => ['--include', g]).concat(SETTINGS.exclude.flatMap((g) => ['--exclude', g]));
  const cli = await runCli(['pools', 'ws', '--format', 'json', ...args], base);
  const fromCli = (JSON.parse(cli.stdout) as { name: string }[]).map((p) => p.name).sort();
  // The refusals are reported by the CLI; the editor skips them silently.
  assert.equal(cli.status, 2);
  assert.deepEqual(
    cli.stderr
      .trim()
      .split('\n')
      .map((l) => l.replace(base, '…'))
      .sort(),
    [
      'capi-ipam: ws/fifo.yaml: not a regular file: not read',
      'capi-ipam: ws/link-out.yaml: resolves outside the workspace (…/outside/o.yaml): not read',
      'capi-ipam: ws/linked.yaml: resolves outside the workspace (…/outside): not read',
    ],
  );

  const lsp = await LspClient.start({ folder: dir, settings: { offline: true, ...SETTINGS } });
  try {
    await lsp.waitForDiagnostic(pathToFileURL(join(dir, 'a.yaml')).toString(), 'invalid-ip'); // the first scan is in
    const fromEditor = (await lsp.request<{ name: string }[]>('capiIpam/pools')).map((p) => p.name).sort();
    assert.deepEqual(fromCli, ['a', 'b', 'b', 'c', 'dist', 'dot', 'manifest']);
    assert.deepEqual(fromEditor, fromCli);
  } finally {
    await lsp.stop();
  }
});

test('a watched-file event is taken exactly for the files the walk lists', () => {
  const all: string[] = [];
  const every = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? every(join(d, e.name)) : all.push(join(d, e.name));
  };
  every(dir);
  const listed = new Set(yamlFiles([dir], SETTINGS).files.map((f) => f.path));
  const folder = pathToFileURL(dir).toString();
  for (const f of all) assert.equal(matches(folder, pathToFileURL(f).toString(), SETTINGS), listed.has(f), relative(dir, f));
  assert.equal(matches(folder, pathToFileURL(join(outside, 'o.yaml')).toString(), { include: ['**'], exclude: [] }), false, 'a file outside the folder');
});

test("the editor's cap keeps the first files of the CLI's walk order", async () => {
  const walk = yamlFiles([dir], SETTINGS).files.map((f) => pathToFileURL(f.path).toString());
  const scanned = [...(await scanFolder(pathToFileURL(dir).toString(), { ...SETTINGS, maxFiles: 3 })).keys()];
  assert.deepEqual(scanned, walk.slice(0, 3));
  assert.deepEqual(
    scanned.map((u) => relative(dir, new URL(u).pathname)),
    ['.github/d.yaml', 'a.yaml', 'b.yml'],
  );
});
