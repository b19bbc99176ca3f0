// The file watcher follows capiIpam.include: a file only a custom include glob names is read when it
// is created, re-read when it changes on disk, and dropped when it is deleted, without being opened.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, codeOf, expectedMode, ours, waitForDiagnostics } from './helpers';

const WITHIN_MS = 20_000;
const cluster = (host: string) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: e2e-watched
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ${host}
    port: 6443
`;

// Offline runs only: live, the management cluster's state is what the other suites check.
if (expectedMode() !== 'live') {
  describe('file watcher', () => {
    it('watches the files capiIpam.include names, beyond *.yaml and *.yml', async () => {
      await api();
      const folder = vscode.workspace.workspaceFolders![0]!.uri;
      const uri = vscode.Uri.joinPath(folder, 'e2e-watch', 'cluster.capi');
      const config = vscode.workspace.getConfiguration('capiIpam', folder);
      const invalid = (host: string) => () => ours(uri).find((d) => codeOf(d) === 'invalid-ip' && d.message.includes(`"${host}"`));
      await vscode.workspace.fs.writeFile(uri, Buffer.from(cluster('999.0.0.7'), 'utf8'));
      try {
        // The new glob makes the server rescan: the file is found by the scan.
        await config.update('include', [...(config.get<string[]>('include') ?? []), 'e2e-watch/*.capi'], vscode.ConfigurationTarget.Workspace);
        await waitForDiagnostics(invalid('999.0.0.7'), WITHIN_MS, 'the scan to read e2e-watch/cluster.capi');
        // From here on only the watcher tells the server.
        await vscode.workspace.fs.writeFile(uri, Buffer.from(cluster('999.0.0.8'), 'utf8'));
        await waitForDiagnostics(invalid('999.0.0.8'), WITHIN_MS, 'the change on disk to be read');
        await vscode.workspace.fs.delete(uri);
        await waitForDiagnostics(() => (ours(uri).length === 0 ? true : undefined), WITHIN_MS, 'the deleted file to be dropped');
        assert.deepStrictEqual(ours(uri), []);
      } finally {
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'e2e-watch'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
        await config.update('include', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });
  });
}
