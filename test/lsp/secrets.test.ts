// Secrets never reach a log or the status: a password in the server URL, an exec credential
// plugin's stderr. Driven over stdio against the sandbox.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { LspClient } from '../support/lspClient';

const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-secrets-'));
let sb: Sandbox;

const kubeconfig = (name: string, server: string, user: Record<string, unknown>) => {
  const path = join(dir, name);
  writeFileSync(
    path,
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'c',
      clusters: [{ name: 'c', cluster: { server, 'certificate-authority-data': Buffer.from(sb.caPem).toString('base64') } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    }),
    { mode: 0o600 },
  );
  return path;
};

/** Everything the client saw: state notifications and log lines. */
const seen = (lsp: LspClient) => JSON.stringify(lsp.states) + lsp.logs.join('\n');

before(async () => {
  sb = await startSandbox({ kubeconfig: join(dir, 'sandbox-kubeconfig') });
});
after(async () => {
  await sb?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a password in the server URL is stripped from the state and the log', async () => {
  const withPassword = sb.url.replace('https://', 'https://admin:PW-s3cret@');
  const lsp = await LspClient.start({ settings: { kubeconfig: kubeconfig('userinfo', withPassword, { token: sb.token }) } });
  try {
    await lsp.waitFor(() => lsp.states.find((s) => s.state !== 'connecting'), 15_000, 'a state after connecting');
    assert.deepEqual(
      lsp.states.map((s) => s.server),
      lsp.states.map(() => sb.url),
      JSON.stringify(lsp.states),
    );
    assert.equal(lsp.states[0]!.reason, `connecting to ${sb.url}`);
    assert.ok(
      lsp.logs.some((l) => l.includes(`connecting to context c (${sb.url})`)),
      lsp.logs.join('\n'),
    );
    assert.equal(seen(lsp).includes('PW-s3cret'), false, seen(lsp));
    assert.equal(seen(lsp).includes(sb.token), false);
  } finally {
    await lsp.stop();
  }
});

test("an exec credential plugin's stderr is not the status reason, nor logged", async () => {
  const plugin = join(dir, 'cred-plugin');
  writeFileSync(plugin, '#!/bin/sh\necho "using token=EXEC-S3CRET-42 for admin" >&2\nexit 1\n');
  chmodSync(plugin, 0o700);
  const path = kubeconfig('exec', sb.url, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, interactiveMode: 'Never' } });
  const lsp = await LspClient.start({ settings: { kubeconfig: path } });
  try {
    const state = await lsp.waitForState('forbidden', 20_000);
    assert.equal(
      state.reason,
      'discovery: the exec credential plugin cred-plugin failed (its output is not shown: it can contain credentials; run it in a terminal)',
    );
    assert.equal(seen(lsp).includes('EXEC-S3CRET-42'), false, seen(lsp));
  } finally {
    await lsp.stop();
  }
});
