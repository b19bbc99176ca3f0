// Shows the management-cluster connection in one left status bar item and mirrors it into the
// `capiIpam.state` context key that welcome views and menus use.
import * as vscode from 'vscode';
import type { ConnectionState } from '../../server/src/protocol';
import { isTroubled, statusText, statusTooltip } from './statusText';

export const STATE_CONTEXT_KEY = 'capiIpam.state';

export class ConnectionStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private current: ConnectionState;
  /** Re-renders "cached, N min ago" while the cluster cannot be read. */
  private ticker: NodeJS.Timeout | undefined;
  /** Fires on every state the server reports (trees reload when the connection changes). */

  constructor() {
    this.item = vscode.window.createStatusBarItem('capiIpam.connection', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'CAPI IPAM connection';
    this.item.command = 'capiIpam.selectContext';
    this.current = vscode.workspace.isTrusted
      ? { state: 'connecting', reason: 'starting the language server' }
      : { state: 'untrusted', reason: 'Restricted Mode: no kubeconfig is read and no cluster is contacted' };
    this.render();
    this.item.show();
  }

  get state(): ConnectionState {
    return this.current;
  }

  update(state: ConnectionState): void {
    this.current = state;
    this.render();
  }

  /** Feedback until the server reports the outcome of a retry. */
  retrying(): void {
    if (isTroubled(this.current)) this.item.text = `$(sync~spin) ${statusText(this.current).replace(/^\$\([^)]*\) /, '')}`;
  }

  private render(): void {
    const troubled = isTroubled(this.current);
    this.item.text = statusText(this.current);
    const tooltip = new vscode.MarkdownString(statusTooltip(this.current));
    // Only these two command links run from the tooltip; the rest is escaped text.
    tooltip.isTrusted = { enabledCommands: ['capiIpam.retry', 'capiIpam.selectContext'] };
    this.item.tooltip = tooltip;
    this.item.command = troubled ? { command: 'capiIpam.retry', title: 'Retry now' } : 'capiIpam.selectContext';
    this.item.backgroundColor = troubled ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    clearInterval(this.ticker);
    this.ticker = this.current.cachedAt !== undefined ? setInterval(() => (this.item.text = statusText(this.current)), 30_000) : undefined;
    void vscode.commands.executeCommand('setContext', STATE_CONTEXT_KEY, this.current.state);
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.item.dispose();
  }
}
