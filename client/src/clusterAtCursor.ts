// Finds which CAPI Cluster the cursor belongs to, so "Allocate" and "Release" work from the
// palette without arguments. Pure: text in, names out (no vscode import, unit-tested).
import { parseAllDocuments, isMap, isScalar, type Document } from 'yaml';

export interface ClusterRef {
  name: string;
  namespace: string;
}

const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

/**
 * The cluster of the YAML document at `offset`: the Cluster itself, or the object labelled with
 * `cluster.x-k8s.io/cluster-name`, or — when the file declares exactly one Cluster — that one.
 */
export function clusterAtCursor(text: string, offset: number): ClusterRef | undefined {
  const documents = parseAllDocuments(text);
  const docs = Array.isArray(documents) ? documents : [];
  const current = docs.find((doc) => {
    const [start, , end] = doc.range;
    return offset >= start && offset <= end;
  });
  if (current) {
    const own = clusterOf(current);
    if (own) return own;
  }
  const clusters = docs.filter(isClusterDocument).map(identityOf).filter((ref): ref is ClusterRef => ref !== undefined);
  return clusters.length === 1 ? clusters[0] : undefined;
}

function clusterOf(doc: Document): ClusterRef | undefined {
  if (isClusterDocument(doc)) return identityOf(doc);
  const labelled = stringAt(doc, ['metadata', 'labels', CLUSTER_NAME_LABEL]);
  if (!labelled) return undefined;
  return { name: labelled, namespace: stringAt(doc, ['metadata', 'namespace']) ?? 'default' };
}

function isClusterDocument(doc: Document): boolean {
  const apiVersion = stringAt(doc, ['apiVersion']) ?? '';
  return stringAt(doc, ['kind']) === 'Cluster' && apiVersion.startsWith('cluster.x-k8s.io/');
}

function identityOf(doc: Document): ClusterRef | undefined {
  const name = stringAt(doc, ['metadata', 'name']);
  if (!name) return undefined;
  return { name, namespace: stringAt(doc, ['metadata', 'namespace']) ?? 'default' };
}

function stringAt(doc: Document, path: string[]): string | undefined {
  if (!isMap(doc.contents)) return undefined;
  const node = doc.getIn(path, true);
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}
