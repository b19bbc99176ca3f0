// capiIpam.selectContext: quick pick of kubeconfig contexts, "Browse for kubeconfig…" and
// "Work offline". Never runs `kubectl config use-context`: the kubeconfig is not modified.
import * as vscode from 'vscode';
import type { ContextsResult } from '../../../server/src/protocol';
import type { IpamServer } from '../ipamServer';
import type { KubeconfigApproval } from '../kubeconfigApproval';
import { writeSetting } from '../settings';
import { errorMessage } from '../wire';

type Choice = vscode.QuickPickItem & { action: 'context' | 'browse' | 'offline'; context?: string };

/** Resolves to what was chosen (`undefined` when dismissed), so tests can drive it. */
export async function selectContext(server: IpamServer, approval?: KubeconfigApproval): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    const answer = await vscode.window.showWarningMessage(
      'CAPI IPAM reads a kubeconfig only in a trusted workspace (kubeconfigs can run credential plugins).',
      manage,
    );
    if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(loadChoices(server), {
    title: 'CAPI IPAM: management cluster',
    placeHolder: 'Select the kubeconfig context of the management cluster',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  return applyChoice(picked, approval);
}

async function loadChoices(server: IpamServer): Promise<Choice[]> {
  let result: ContextsResult = { contexts: [] };
  let failure: string | undefined;
  try {
    result = await server.contexts();
  } catch (error) {
    failure = errorMessage(error);
  }
  const contexts: Choice[] = result.contexts.map((context) => ({
    label: `$(server-environment) ${context}`,
    description: context === result.current ? 'current-context' : undefined,
    detail: context === result.current && result.kubeconfig ? result.kubeconfig : undefined,
    action: 'context',
    context,
  }));
  const header: Choice[] = failure
    ? [{ label: 'No contexts', kind: vscode.QuickPickItemKind.Separator, action: 'offline' }]
    : contexts.length === 0
      ? []
      : [{ label: result.kubeconfig ?? 'kubeconfig', kind: vscode.QuickPickItemKind.Separator, action: 'context' }];
  const other: Choice[] = [
    { label: '', kind: vscode.QuickPickItemKind.Separator, action: 'browse' },
    { label: '$(folder-opened) Browse for kubeconfig…', detail: failure ? `Could not read the kubeconfig: ${failure}` : undefined, action: 'browse' },
    { label: '$(debug-disconnect) Work offline', description: 'pools declared in the workspace only', action: 'offline' },
  ];
  return [...header, ...contexts, ...other];
}

async function applyChoice(choice: Choice, approval?: KubeconfigApproval): Promise<string | undefined> {
  switch (choice.action) {
    case 'context':
      if (!choice.context) return undefined;
      await writeSetting('offline', undefined);
      await writeSetting('context', choice.context);
      return choice.context;
    case 'browse': {
      const files = await vscode.window.showOpenDialog({
        title: 'Select the kubeconfig of the management cluster',
        canSelectMany: false,
        openLabel: 'Use kubeconfig',
      });
      const file = files?.[0];
      if (!file) return undefined;
      await writeSetting('offline', undefined);
      await approval?.allow(file.fsPath); // the user chose it: no question about it later
      await writeSetting('kubeconfig', file.fsPath);
      // The previous context most likely does not exist in another file: use its current-context.
      await writeSetting('context', undefined);
      return file.fsPath;
    }
    case 'offline':
      await writeSetting('offline', true);
      return 'offline';
  }
}
