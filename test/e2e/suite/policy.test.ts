// *Generate Admission Policy* in a real VS Code: the server builds the policy, the client opens it in an
// untitled YAML document.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api } from './helpers';

describe('admission policy', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  for (const [format, kinds] of [
    ['vap', ['ConfigMap', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']],
    ['kyverno', ['ConfigMap', 'ClusterPolicy']],
  ] as const) {
    it(`opens the ${format} policy in an untitled YAML document`, async () => {
      await api();
      const document = await vscode.commands.executeCommand<vscode.TextDocument>('capiIpam.generatePolicy', format);
      assert.ok(document, 'the command returns the document it opened');
      assert.strictEqual(document.isUntitled, true);
      assert.strictEqual(document.languageId, 'yaml');
      assert.strictEqual(vscode.window.activeTextEditor?.document, document, 'the policy is shown');
      assert.deepStrictEqual(
        [...document.getText().matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]),
        [...kinds],
      );
      assert.match(document.getText(), /^ {2}vipCidrs: \S+/m, 'the parameters hold the allocatable VIP addresses');
    });
  }
});
