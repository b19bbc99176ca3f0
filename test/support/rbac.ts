// A ServiceAccount of the real stack bound to exactly the given rules, and a kubeconfig with its token
// (from the TokenRequest API), for tests of what a restricted user sees.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { kubeconfigText } from '../sandbox/kubeconfig';
import type { Backend } from './backend';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export async function serviceAccountKubeconfig(b: Backend, name: string, rules: PolicyRule[]): Promise<{ path: string; user: string }> {
  if (b.name !== 'real') throw new Error('RBAC needs the real stack');
  const rbac = 'rbac.authorization.k8s.io/v1';
  await b.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'default' } });
  await b.create({ apiVersion: rbac, kind: 'ClusterRole', metadata: { name }, rules });
  await b.create({
    apiVersion: rbac,
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace: 'default' }],
  });
  const r = await b.rest.request('POST', `/api/v1/namespaces/default/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 },
  });
  if (r.status !== 201) throw new Error(`TokenRequest for ${name}: ${r.status} ${r.body?.message ?? ''}`);
  const path = join(mkdtempSync(join(tmpdir(), `capi-ipam-sa-${name}-`)), 'kubeconfig');
  writeFileSync(path, kubeconfigText(b.url, b.caPem, r.body.status.token, 'realstack'), { mode: 0o600 });
  return { path, user: `system:serviceaccount:default:${name}` };
}
