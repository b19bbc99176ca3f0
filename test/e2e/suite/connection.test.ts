// The connection state the status bar shows, as reported through the API's connection().
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, backend, expectedMode, waitFor } from './helpers';

describe('connection state', () => {
  if (expectedMode() === 'trusted') {
    it('reports offline when there is no kubeconfig', async () => {
      const capi = await api();
      const state = await waitFor(
        () => (capi.connection().state === 'offline' ? capi.connection() : undefined),
        20_000,
        'state offline',
        () => JSON.stringify(capi.connection()),
      );
      assert.strictEqual(state.state, 'offline');
    });

    it('does not hand a kubeconfig from workspace settings to the server before the user allowed it', async () => {
      const capi = await api();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capi-ipam-repo-kubeconfig-'));
      const kubeconfig = path.join(dir, 'kubeconfig');
      fs.writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'kind: Config',
          'current-context: from-the-repo',
          'clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]',
          'users: [{name: u, user: {token: t}}]',
          'contexts: [{name: from-the-repo, context: {cluster: c, user: u}}]',
          '',
        ].join('\n'),
      );
      const settings = vscode.workspace.getConfiguration('capiIpam');
      try {
        // Both in one go: once the server says "offline is set", it has read the kubeconfig setting too.
        await settings.update('kubeconfig', kubeconfig, vscode.ConfigurationTarget.Workspace);
        await settings.update('offline', true, vscode.ConfigurationTarget.Workspace);
        await waitFor(
          () => (/capiIpam\.offline is set/.test(capi.connection().reason ?? '') ? true : undefined),
          20_000,
          'the server to re-read its settings',
          () => JSON.stringify(capi.connection()),
        );
        const contexts = await capi.server.contexts();
        assert.strictEqual(contexts.kubeconfig, undefined, 'the server did not get the workspace kubeconfig');
        assert.strictEqual(contexts.contexts.includes('from-the-repo'), false);
      } finally {
        await settings.update('offline', undefined, vscode.ConfigurationTarget.Workspace);
        await settings.update('kubeconfig', undefined, vscode.ConfigurationTarget.Workspace);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  } else if (expectedMode() === 'live') {
    it(`connects to the ${backend()} management cluster named by $KUBECONFIG`, async () => {
      const capi = await api();
      const state = await waitFor(
        () => (capi.connection().state === 'connected' ? capi.connection() : undefined),
        20_000,
        'state connected',
        () => JSON.stringify(capi.connection()),
      );
      assert.strictEqual(state.context, backend() === 'real' ? 'realstack' : 'sandbox', 'the state names the kubeconfig context');
    });
  } else {
    it('reports untrusted from the start', async () => {
      const capi = await api();
      assert.strictEqual(capi.connection().state, 'untrusted');
    });
  }
});
