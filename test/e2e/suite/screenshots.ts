// Not a test: with `launch-headless.mjs --screenshots`, this module runs in the extension host of a
// real workbench and puts it in the states the README shows. For each state it prints a marker line
// (forwarded to the launcher through codeAutomationLog), and waits for the launcher to write
// `<name>.done` into $CAPI_IPAM_E2E_SHOTS_DIR once the screenshot is taken.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, ours, waitFor, waitForDiagnostics, workspaceYamlFiles } from './helpers';

export const SHOT_MARKER = '[capi-ipam-screenshot]';

/** `expand`: the label of a tree item the launcher clicks (in the real DOM) before the screenshot. */
async function shot(name: string, expand?: string): Promise<void> {
  const dir = process.env.CAPI_IPAM_E2E_SHOTS_DIR;
  if (!dir) throw new Error('CAPI_IPAM_E2E_SHOTS_DIR is not set: run through test/e2e/launch-headless.mjs --screenshots');
  const done = path.join(dir, `${name}.done`);
  console.log(`${SHOT_MARKER} ${name}${expand ? ` expand=${JSON.stringify(expand)}` : ''}`);
  const deadline = Date.now() + 30_000;
  while (!fs.existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`the launcher did not take screenshot ${name} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function run(): Promise<void> {
  const capi = await api();
  const documents: vscode.TextDocument[] = [];
  for (const uri of (await workspaceYamlFiles()).slice(0, 40)) documents.push(await vscode.workspace.openTextDocument(uri));
  if (documents.length === 0) throw new Error('the workspace has no YAML file to show');
  const withDiagnostics = await waitForDiagnostics(() => documents.find((d) => ours(d.uri).length > 0), 30_000, 'capi-ipam diagnostics');

  // Prefer a diagnostic that has a quick fix, so the menu has something to show.
  let chosen: { document: vscode.TextDocument; diagnostic: vscode.Diagnostic } | undefined;
  for (const document of [withDiagnostics, ...documents.filter((d) => d !== withDiagnostics)]) {
    for (const diagnostic of ours(document.uri)) {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        diagnostic.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      if (actions.length > 0) {
        chosen = { document, diagnostic };
        break;
      }
    }
    if (chosen) break;
  }
  chosen ??= { document: withDiagnostics, diagnostic: ours(withDiagnostics.uri)[0]! };

  const editor = await vscode.window.showTextDocument(chosen.document, { preview: false });
  editor.selection = new vscode.Selection(chosen.diagnostic.range.start, chosen.diagnostic.range.start);
  editor.revealRange(chosen.diagnostic.range, vscode.TextEditorRevealType.InCenter);
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await shot('problems');

  await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
  await vscode.commands.executeCommand('editor.action.quickFix');
  await shot('quick-fix');
  await vscode.commands.executeCommand('hideCodeActionWidget');

  await vscode.commands.executeCommand('workbench.action.closePanel');
  // A wider side bar (narrowing the focused editor widens it) and the first pool expanded (by the launcher).
  await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
  for (let i = 0; i < 3; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
  await vscode.commands.executeCommand('workbench.view.extension.capiIpam');
  await vscode.commands.executeCommand('capiIpam.pools.focus');
  const [firstPool] = await capi.trees.pools.getChildren();
  const label = firstPool === undefined ? undefined : capi.trees.pools.getTreeItem(firstPool).label;
  await shot('views', typeof label === 'string' ? label : label?.label);

  // The pool map of the VIP pool, once its data reached the page.
  const vipPool = (await capi.server.pools()).find((p) => p.name === 'vip-pool') ?? (await capi.server.pools())[0];
  if (vipPool) {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('capiIpam.showPoolMap', { pool: vipPool });
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor(() => capi.poolMaps.shown?.title.endsWith(vipPool.name), 10_000, 'the pool map data');
    await shot('pool-map');
  }
}
