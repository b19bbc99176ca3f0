// The IPAddressClaim written next to the cluster, so that GitOps/Helm keeps owning the address
// (deleting the release deletes the claim and frees the IP).
import { parseAllDocuments, stringify } from 'yaml';
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

/** The pool kind's API group: Metal3's IPPool is ipam.metal3.io; every other claimable kind is ipam.cluster.x-k8s.io. */
export const poolApiGroup = (kind: string): string => (kind === 'IPPool' ? 'ipam.metal3.io' : 'ipam.cluster.x-k8s.io');

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
      poolRef: { apiGroup: poolApiGroup(pool.kind), kind: pool.kind, name: pool.name },
      ...(linked && !apiVersion.endsWith('v1alpha1') ? { clusterName: c.name } : {}),
    },
  };
}

function yamlOf(o: ReturnType<typeof claimObject>): string {
  // The yaml library quotes whatever needs it; lineWidth 0 never folds a long value.
  return stringify(o, { lineWidth: 0 });
}

/** Whether `text` already holds the claim (same name; same namespace where the document names one). */
function hasClaim(text: string, name: string, namespace: string): boolean {
  return parseAllDocuments(text, { strict: false, uniqueKeys: false }).some((d) => {
    const ns = d.getIn(['metadata', 'namespace']);
    return d.get('kind') === 'IPAddressClaim' && d.getIn(['metadata', 'name']) === name && (ns === undefined || ns === namespace);
  });
}

/** Appends the claim as a YAML document to the Cluster's file, unless the workspace already has it. */
export function claimDocumentEdit(c: WorkloadCluster, text: string, pool: ClaimPool, opts: ClaimOptions): TextEdit[] {
  const uri = c.cluster?.uri ?? c.anchor.uri;
  if (hasClaim(text, vipClaimName(c.name), c.namespace)) return [];
  const sep = (text.endsWith('\n') || text === '' ? '' : '\n') + '---\n';
  return [{ uri, span: { start: text.length, end: text.length }, newText: sep + yamlOf(claimObject(c, pool, opts)) }];
}
