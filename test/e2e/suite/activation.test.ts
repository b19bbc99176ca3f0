// The extension loads in a real VS Code, returns its API and registers what package.json contributes.
import * as assert from 'assert';
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
    assert.deepStrictEqual(Object.keys(capi.trees).sort(), ['kubeVipRanges', 'loadBalancers', 'pools']);
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

  it(`runs with the workspace trust the launcher asked for (${expectedMode()})`, () => {
    assert.strictEqual(vscode.workspace.isTrusted, expectedMode() !== 'untrusted');
    assert.ok((vscode.workspace.workspaceFolders ?? []).length === 1, 'one workspace folder is open');
  });
});
