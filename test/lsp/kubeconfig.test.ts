// A kubeconfig path that is a FIFO or /dev/zero: one clear reason, and the server keeps answering
// (client-node reads kubeconfigs synchronously, so such a path used to hang the whole server).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient, ROOT } from '../support/lspClient';

const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-kubeconfig-'));
const fifo = join(dir, 'fifo-kubeconfig');
const zero = join(dir, 'zero-kubeconfig');
assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
symlinkSync('/dev/zero', zero);
after(() => rmSync(dir, { recursive: true, force: true }));

for (const [what, path] of [
  ['a FIFO', fifo],
  ['/dev/zero', zero],
] as const) {
  test(`capiIpam.kubeconfig naming ${what}: offline with a clear reason, the server still answers`, async () => {
    const lsp = await LspClient.start({ settings: { kubeconfig: path } });
    try {
      const state = await lsp.waitForState('offline', 10_000);
      assert.equal(state.reason, `no cluster configured (kubeconfig ${path}: not a regular file: not read): using pools declared in the workspace`);
      await assert.rejects(lsp.request('capiIpam/contexts'), new RegExp(`cannot read the kubeconfig: kubeconfig ${path}: not a regular file`));
      assert.deepEqual(await lsp.request('capiIpam/pools'), []);
    } finally {
      await lsp.stop();
    }
  });
}

test('the CLI fails fast on a FIFO kubeconfig', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', 'test/fixtures/workspace/ipam', '--kubeconfig', fifo], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(r.signal, null);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `capi-ipam: kubeconfig ${fifo}: not a regular file: not read\n`);
});

test('$KUBECONFIG naming a FIFO (the default chain): offline with a clear reason', async () => {
  const lsp = await LspClient.start({ env: { KUBECONFIG: fifo } });
  try {
    const state = await lsp.waitForState('offline', 10_000);
    assert.equal(state.reason, `no cluster configured (kubeconfig ${fifo}: not a regular file: not read): using pools declared in the workspace`);
  } finally {
    await lsp.stop();
  }
});
