// Asks once, in a modal, before the server uses a kubeconfig named in workspace settings, and
// remembers the answer in workspaceState. Until then the server gets the user's own setting.
import * as vscode from 'vscode';
import { type Answers, kubeconfigForServer, pendingQuestion, type KubeconfigSetting } from './kubeconfigGate';
import { capiIpamSettings } from './settings';

const KEY = 'capiIpam.workspaceKubeconfigAnswers';

export class KubeconfigApproval {
  private asking: Promise<boolean> | undefined;

  constructor(private readonly state: vscode.Memento) {}

  private setting(): KubeconfigSetting | undefined {
    return capiIpamSettings().inspect<string>('kubeconfig');
  }

  private answers(): Answers {
    return this.state.get<Answers>(KEY, {});
  }

  /** The kubeconfig path the server may read now. */
  forServer(): string {
    return kubeconfigForServer(this.setting(), this.answers());
  }

  /** The user chose this path (Browse for kubeconfig…): no question. */
  async allow(path: string): Promise<void> {
    await this.state.update(KEY, { ...this.answers(), [path]: 'allow' });
  }

  /** Asks about an unanswered workspace path; true when the answer changed what the server may use. */
  askIfNeeded(): Promise<boolean> {
    this.asking ??= this.ask().finally(() => (this.asking = undefined));
    return this.asking;
  }

  private async ask(): Promise<boolean> {
    const path = pendingQuestion(this.setting(), this.answers());
    if (!path || !vscode.workspace.isTrusted) return false;
    const use = 'Use This Kubeconfig';
    const ignore = 'Ignore';
    const answer = await this.prompt(path, use, ignore);
    if (answer === undefined) return false; // dismissed (or no dialog possible): withheld, asked again next time
    await this.state.update(KEY, { ...this.answers(), [path]: answer === use ? 'allow' : 'deny' });
    return answer === use;
  }

  private async prompt(path: string, use: string, ignore: string): Promise<string | undefined> {
    try {
      return await vscode.window.showWarningMessage(
        "This workspace's settings point CAPI IPAM at a kubeconfig. Use it?",
        {
          modal: true,
          detail: `capiIpam.kubeconfig = ${path}\n\nIt comes from the workspace (.vscode/settings.json), not from your user settings. A kubeconfig can run commands (exec credential plugins) and sends credentials to its server: use it only if you trust this repository. The answer is remembered for this workspace.`,
        },
        use,
        ignore,
      );
    } catch {
      return undefined; // a host that refuses dialogs (test mode)
    }
  }
}
