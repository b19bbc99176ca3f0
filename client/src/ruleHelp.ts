// Rule help from a diagnostic's code, offline: the README section `#### rule-<code>` of the
// extension's own README.md (shipped in the .vsix), shown in the Markdown preview.
import * as vscode from 'vscode';
import { ruleSection } from './ruleSection';

export const RULE_HELP_SCHEME = 'capi-ipam-rule';

export class RuleHelp implements vscode.TextDocumentContentProvider {
  constructor(private readonly extensionUri: vscode.Uri) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const code = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    // vsce stores the README as `readme.md` in a .vsix; the development folder has `README.md`.
    const name = (await vscode.workspace.fs.readDirectory(this.extensionUri)).find(([file]) => file.toLowerCase() === 'readme.md')?.[0] ?? 'README.md';
    const readme = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, name)));
    return ruleSection(readme, code) ?? `# ${code}\n\nNo help for this rule in the bundled README.\n`;
  }

  async show(code: unknown): Promise<vscode.Uri | undefined> {
    if (typeof code !== 'string' || !/^[a-z-]+$/.test(code)) return undefined;
    const uri = vscode.Uri.from({ scheme: RULE_HELP_SCHEME, path: `/${code}.md` });
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(uri, { preview: true });
    }
    return uri;
  }
}
