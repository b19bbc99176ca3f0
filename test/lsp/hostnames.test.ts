// Host-name endpoints over stdio: a trusted server resolves `localhost` in the background and
// re-publishes dns-mismatch as an error; untrusted, or with capiIpam.resolveHostnames off, it never
// resolves and keeps the hint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient, messageOf } from '../support/lspClient';
import { hostnameCluster } from '../support/hostnameCluster';

async function withServer(opts: { trusted: boolean; resolve?: boolean }, body: (lsp: LspClient, uri: string) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-dns-'));
  const lsp = await LspClient.start({ folder: dir, trusted: opts.trusted, settings: { offline: true, resolveHostnames: opts.resolve ?? true } });
  try {
    await body(lsp, new URL('file://' + join(dir, 'web.yaml')).toString());
  } finally {
    await lsp.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('trusted: localhost is resolved off the keystroke path and a VIP it does not resolve to is an error', async () => {
  await withServer({ trusted: true }, async (lsp, uri) => {
    lsp.open(uri, hostnameCluster('localhost', '10.10.0.77'));
    const [d] = await lsp.waitFor(
      () => {
        const found = lsp.diagnosticsOf(uri, 'dns-mismatch');
        return found.length && found[0]!.severity === 1 ? found : undefined;
      },
      10_000,
      'dns-mismatch error',
    );
    assert.equal(lsp.textAt(uri, d!.range), 'localhost');
    assert.match(
      messageOf(d!),
      /^localhost \(Cluster web \.spec\.controlPlaneEndpoint\.host\) resolves to .*(127\.0\.0\.1|::1).*, not to the VIP 10\.10\.0\.77 /,
    );
    // kube-vip on the loopback address: resolved, consistent, nothing to say.
    lsp.change(uri, hostnameCluster('localhost', '127.0.0.1'));
    await lsp.waitFor(() => lsp.diagnosticsOf(uri, 'dns-mismatch').length === 0, 10_000, 'dns-mismatch cleared');
  });
});

for (const [what, opts] of [
  ['untrusted', { trusted: false }],
  ['resolveHostnames off', { trusted: true, resolve: false }],
] as const) {
  test(`${what}: the name is never resolved; the hint stays`, async () => {
    await withServer(opts, async (lsp, uri) => {
      lsp.open(uri, hostnameCluster('localhost', '10.10.0.77'));
      const [hint] = await lsp.waitForDiagnostic(uri, 'dns-mismatch');
      assert.equal(hint!.severity, 4);
      assert.equal(lsp.textAt(uri, hint!.range), 'localhost');
      // A later analysis (after an edit that adds a finding) still has only the hint.
      lsp.change(uri, `${hostnameCluster('localhost', '10.10.0.77')}---\n${hostnameCluster('10.10.0.777', '10.10.0.777').replaceAll('web', 'other')}`);
      await lsp.waitForDiagnostic(uri, 'invalid-ip');
      assert.deepEqual(
        lsp.diagnosticsOf(uri, 'dns-mismatch').map((d) => d.severity),
        [4],
      );
    });
  });
}
