// Shows the management-cluster connection in one left status bar item and mirrors it into the
// `capiIpam.state` context key that welcome views and menus use.
import * as vscode from 'vscode';
import type { ConnectionState } from '../../server/src/protocol';
import { statusText, statusTooltip } from './statusText';

export const STATE_CONTEXT_KEY = 'capiIpam.state';

export class ConnectionStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<ConnectionState>();
  private current: ConnectionState;
  /** Fires on every state the server reports (trees reload when the connection changes). */
  readonly onDidChange = this.changed.event;

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
    this.changed.fire(state);
  }

  private render(): void {
    this.item.text = statusText(this.current);
    const tooltip = new vscode.MarkdownString(statusTooltip(this.current));
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
    void vscode.commands.executeCommand('setContext', STATE_CONTEXT_KEY, this.current.state);
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
  }
}
