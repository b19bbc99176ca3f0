// The kubeconfig the sandbox writes: bearer token, its CA embedded, context `sandbox`.
import { chmodSync, writeFileSync } from 'node:fs';
import YAML from 'yaml';

export function kubeconfigText(server: string, caPem: string, token: string, name = 'sandbox'): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

/** Writes the kubeconfig (it holds the token) readable by its owner only, also over an existing file. */
export function writeKubeconfig(path: string, server: string, caPem: string, token: string, name?: string): void {
  writeFileSync(path, kubeconfigText(server, caPem, token, name), { mode: 0o600 });
  chmodSync(path, 0o600); // `mode` applies only when the file is created
}
