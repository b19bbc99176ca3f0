// Which kubeconfig path the server may use. A path in workspace settings comes with the repository
// (.vscode/settings.json) and a kubeconfig can run exec credential plugins: it is used only once the
// user allowed that very path for this workspace. Pure, so it is unit-tested without VS Code.

/** `inspect('kubeconfig')` of the capiIpam settings. */
export interface KubeconfigSetting {
  globalValue?: string;
  workspaceValue?: string;
  workspaceFolderValue?: string;
}

/** The user's answers for this workspace, by path. */
export type Answers = Record<string, 'allow' | 'deny'>;

/** The path the workspace (not the user) names, if any. */
export function workspaceKubeconfig(setting: KubeconfigSetting | undefined): string | undefined {
  return setting?.workspaceFolderValue || setting?.workspaceValue || undefined;
}

/** A workspace path once allowed; otherwise the user's own setting, or '' (the default chain). */
export function kubeconfigForServer(setting: KubeconfigSetting | undefined, answers: Answers): string {
  const fromWorkspace = workspaceKubeconfig(setting);
  if (fromWorkspace && answers[fromWorkspace] === 'allow') return fromWorkspace;
  return setting?.globalValue ?? '';
}

/** The workspace path to ask about: named, and not answered yet. */
export function pendingQuestion(setting: KubeconfigSetting | undefined, answers: Answers): string | undefined {
  const fromWorkspace = workspaceKubeconfig(setting);
  return fromWorkspace && !answers[fromWorkspace] ? fromWorkspace : undefined;
}
