// *Generate Admission Policy*: the server builds the policy from the pools and kube-vip ranges it knows;
// it opens in an untitled YAML document for the user to review and apply.
import * as vscode from 'vscode';
import type { IpamServer } from '../ipamServer';
import { errorMessage } from '../wire';

const FORMATS = [
  { label: 'ValidatingAdmissionPolicy', description: 'admissionregistration.k8s.io/v1, CEL with ip()/cidr()', format: 'vap' as const },
  { label: 'Kyverno ClusterPolicy', description: 'kyverno.io/v1, validate.cel', format: 'kyverno' as const },
];

export async function generatePolicy(server: IpamServer, format?: 'vap' | 'kyverno'): Promise<vscode.TextDocument | undefined> {
  const chosen = format ?? (await vscode.window.showQuickPick(FORMATS, { title: 'Generate Admission Policy' }))?.format;
  if (!chosen) return undefined;
  try {
    const { yaml } = await server.policy(chosen);
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: yaml });
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  } catch (error) {
    void vscode.window.showErrorMessage(`Generating the admission policy failed: ${errorMessage(error)}`);
    return undefined;
  }
}
