// A ServiceAccount of the real stack bound to exactly the given rules, and a kubeconfig with its token
// (from the TokenRequest API), for tests of what a restricted user sees.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import YAML from 'yaml';
import { kubeconfigText } from '../sandbox/kubeconfig';
import type { Rest } from '../realstack/rest';
import type { Backend } from './backend';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
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

/** The YAML documents of the block that follows `<!-- marker -->` in README.md (its roles, as the suite binds them). */
export function readmeRbac(
  readme: string,
  marker: string,
): { kind: 'ClusterRole' | 'Role'; metadata: { name: string; namespace?: string }; rules: PolicyRule[] }[] {
  const m = new RegExp(`<!-- ${marker} -->\\n\`\`\`yaml\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README.md has no block ${marker}`);
  return YAML.parseAllDocuments(m[1]!).map((d) => d.toJS());
}

/**
 * A ServiceAccount on any API server (management or workload cluster) bound to the given roles, and its
 * token: a Role is bound in its namespace, a ClusterRole cluster-wide.
 */
export async function serviceAccountToken(
  rest: Rest,
  name: string,
  roles: { kind: 'ClusterRole' | 'Role'; metadata: { name: string; namespace?: string }; rules: PolicyRule[] }[],
): Promise<string> {
  const rbac = 'rbac.authorization.k8s.io/v1';
  const ok = async (what: string, r: Promise<{ status: number; body?: { message?: string } }>) => {
    const x = await r;
    if (x.status !== 201) throw new Error(`${what}: ${x.status} ${x.body?.message ?? ''}`);
  };
  await ok('ServiceAccount', rest.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'default' } }));
  for (const role of roles) {
    const roleName = `${name}-${role.metadata.name}`;
    const ns = role.metadata.namespace;
    await ok(role.kind, rest.create({ apiVersion: rbac, kind: role.kind, metadata: { name: roleName, ...(ns ? { namespace: ns } : {}) }, rules: role.rules }));
    await ok(
      `${role.kind}Binding`,
      rest.create({
        apiVersion: rbac,
        kind: `${role.kind}Binding`,
        metadata: { name: roleName, ...(ns ? { namespace: ns } : {}) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: role.kind, name: roleName },
        subjects: [{ kind: 'ServiceAccount', name, namespace: 'default' }],
      }),
    );
  }
  const r = await rest.request('POST', `/api/v1/namespaces/default/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 },
  });
  if (r.status !== 201) throw new Error(`TokenRequest for ${name}: ${r.status} ${r.body?.message ?? ''}`);
  return r.body.status.token;
}
