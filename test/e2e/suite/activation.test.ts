// The extension loads in a real VS Code, returns its API and registers what package.json contributes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, expectedMode, extension } from './helpers';

describe('activation', () => {
  it('activates and returns the client API', async () => {
    const ext = extension();
    const capi = await api();
    assert.ok(ext.isActive, 'extension is active after activate()');
    assert.strictEqual(ext.packageJSON.name, 'capi-ipam');
    assert.strictEqual(typeof capi.connection, 'function');
    assert.strictEqual(typeof capi.refresh, 'function');
    assert.ok(capi.client, 'activate() returns the language client');
    assert.deepStrictEqual(Object.keys(capi.trees).sort(), ['estate', 'kubeVipRanges', 'loadBalancers', 'pools']);
  });

  it('registers every contributed capiIpam.* command', async () => {
    await api();
    const contributed: string[] = (extension().packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    for (const id of contributed) assert.match(id, /^capiIpam\./, `${id} is in the capiIpam namespace`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], `commands contributed but not registered: ${missing.join(', ')}`);
  });

  it('starts the language server', async () => {
    const capi = await api();
    assert.ok(capi.client.isRunning(), 'the CAPI IPAM language client reports a running server');
    assert.ok(capi.client.initializeResult, 'the server answered initialize');
  });

  const installed = process.env.CAPI_IPAM_E2E_EXTENSION;
  if (installed === 'vsix') {
    it('runs the extension installed from the packaged .vsix, with the bundles only', () => {
      const ext = extension();
      const extensionsDir = process.env.CAPI_IPAM_E2E_EXTENSIONS_DIR;
      assert.ok(extensionsDir, 'the launcher names the extensions directory');
      assert.strictEqual(
        path.dirname(ext.extensionPath),
        extensionsDir,
        `installed into the server's extensions directory, not loaded from ${ext.extensionPath}`,
      );
      assert.notStrictEqual(ext.extensionPath, process.env.CAPI_IPAM_E2E_REPO);
      assert.strictEqual(ext.extensionKind, vscode.ExtensionKind.Workspace, 'runs in the Node extension host of the server');
      for (const file of ['package.json', 'dist/extension.js', 'dist/server.js', 'resources/poolMap/poolMap.js', 'resources/walkthrough/ci.md']) {
        assert.ok(fs.existsSync(path.join(ext.extensionPath, file)), `the .vsix ships ${file}`);
      }
      for (const absent of ['client', 'server', 'node_modules', 'test', 'tsconfig.json', 'dist/cli.js', 'CONTRIBUTING.md']) {
        assert.ok(!fs.existsSync(path.join(ext.extensionPath, absent)), `the .vsix leaves out ${absent} (.vscodeignore)`);
      }
    });
  } else if (installed === 'development') {
    it('runs the extension from the development folder', () => {
      assert.strictEqual(extension().extensionPath, process.env.CAPI_IPAM_E2E_REPO);
    });
  }

  it(`runs with the workspace trust the launcher asked for (${expectedMode()})`, () => {
    assert.strictEqual(vscode.workspace.isTrusted, expectedMode() !== 'untrusted');
    assert.ok((vscode.workspace.workspaceFolders ?? []).length === 1, 'one workspace folder is open');
  });
});
