// The IPAddressClaim written next to the cluster, so that GitOps/Helm keeps owning the address
// (deleting the release deletes the claim and frees the IP).
import type { TextEdit } from './types';
import type { WorkloadCluster } from './model/types';
import { CLUSTER_NAME_LABEL, vipClaimName } from './model/clusters';

export const CREATED_BY_ANNOTATION = 'capi-ipam.dev/created-by';
/** The value of CREATED_BY_ANNOTATION on claims capi-ipam creates: only these are released without a by-name confirmation. */
export const CREATED_BY = 'capi-ipam';
export const CLUSTER_ANNOTATION = 'capi-ipam.dev/cluster';

export interface ClaimPool {
  kind: string;
  name: string;
}

export interface ClaimOptions {
  apiVersion?: string;
  /**
   * Whether the Cluster already exists in the management cluster. The provider does not fulfil a
   * claim whose `spec.clusterName` (or cluster-name label) names a missing Cluster, and a VIP is
   * needed before the Cluster is created: for a new cluster the link is an annotation only.
   */
  clusterExists: boolean;
}

export function claimObject(c: { name: string; namespace: string }, pool: ClaimPool, opts: ClaimOptions) {
  const apiVersion = opts.apiVersion ?? 'ipam.cluster.x-k8s.io/v1beta2';
  const linked = opts.clusterExists;
  return {
    apiVersion,
    kind: 'IPAddressClaim',
    metadata: {
      name: vipClaimName(c.name),
      namespace: c.namespace,
      ...(linked ? { labels: { [CLUSTER_NAME_LABEL]: c.name } } : {}),
      annotations: { [CREATED_BY_ANNOTATION]: CREATED_BY, [CLUSTER_ANNOTATION]: c.name },
    },
    spec: {
      poolRef: { apiGroup: 'ipam.cluster.x-k8s.io', kind: pool.kind, name: pool.name },
      ...(linked && !apiVersion.endsWith('v1alpha1') ? { clusterName: c.name } : {}),
    },
  };
}

function yamlOf(o: ReturnType<typeof claimObject>): string {
  const lines = [
    `apiVersion: ${o.apiVersion}`,
    `kind: ${o.kind}`,
    'metadata:',
    `  name: ${o.metadata.name}`,
    `  namespace: ${o.metadata.namespace}`,
  ];
  if (o.metadata.labels) lines.push('  labels:', ...Object.entries(o.metadata.labels).map(([k, v]) => `    ${k}: ${v}`));
  lines.push('  annotations:', ...Object.entries(o.metadata.annotations).map(([k, v]) => `    ${k}: ${v}`));
  lines.push('spec:', '  poolRef:', `    apiGroup: ${o.spec.poolRef.apiGroup}`, `    kind: ${o.spec.poolRef.kind}`, `    name: ${o.spec.poolRef.name}`);
  if ('clusterName' in o.spec) lines.push(`  clusterName: ${o.spec.clusterName}`);
  return lines.join('\n') + '\n';
}

/** Appends the claim as a YAML document to the Cluster's file, unless the workspace already has it. */
export function claimDocumentEdit(c: WorkloadCluster, text: string, pool: ClaimPool, opts: ClaimOptions): TextEdit[] {
  const uri = c.cluster?.uri ?? c.anchor.uri;
  if (new RegExp(`kind:\\s*IPAddressClaim[\\s\\S]*name:\\s*${vipClaimName(c.name)}\\b`).test(text)) return [];
  const sep = (text.endsWith('\n') || text === '' ? '' : '\n') + '---\n';
  return [{ uri, span: { start: text.length, end: text.length }, newText: sep + yamlOf(claimObject(c, pool, opts)) }];
}
