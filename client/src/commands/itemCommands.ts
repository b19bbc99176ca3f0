// Commands on tree items: copy an address, reveal where something is declared, open a pool's YAML.
import * as vscode from 'vscode';
import { PoolYamlDocuments } from '../poolYamlDocuments';
import type { CommandTarget } from '../trees/commandTarget';
import { toLocation } from '../wire';

export async function copyAddress(target: CommandTarget | undefined): Promise<string | undefined> {
  if (!target?.address) return undefined;
  await vscode.env.clipboard.writeText(target.address);
  vscode.window.setStatusBarMessage(`Copied ${target.address}`, 2000);
  return target.address;
}

export async function revealLocation(target: CommandTarget | undefined): Promise<vscode.TextEditor | undefined> {
  if (!target?.location) return undefined;
  const location = toLocation(target.location);
  return vscode.window.showTextDocument(location.uri, { selection: location.range, preview: true });
}

export async function openPoolYaml(target: CommandTarget | string | undefined): Promise<vscode.TextEditor | undefined> {
  const poolId = typeof target === 'string' ? target : (target?.poolId ?? target?.pool?.id);
  if (!poolId) return undefined;
  const document = await vscode.workspace.openTextDocument(PoolYamlDocuments.uriFor(poolId));
  return vscode.window.showTextDocument(document, { preview: true });
}
