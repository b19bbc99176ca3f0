// Writes capi-ipam settings where the user expects them: the workspace when one is open
// (a per-project cluster), user settings otherwise.
import * as vscode from 'vscode';

export function capiIpamSettings(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('capiIpam', scope);
}

export async function writeSetting(key: string, value: unknown): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await capiIpamSettings().update(key, value, target);
}
