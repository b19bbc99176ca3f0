// The cluster a cursor is in, for commands run without arguments (Allocate VIP, Release VIP, the pool
// map): the Cluster document around the cursor, an object labelled with the cluster's name, the file's
// only Cluster, else whichever cluster has a part there (Workspace.clusterAt). Names only: the
// client asks for them (capiIpam/clusterAt) instead of parsing YAML itself.
import { CLUSTER_NAME_LABEL } from '../model/clusters';
import { GROUPS, type K8sObject } from '../model/kinds';
import { stringAt } from '../yaml/documents';

export interface ClusterRef {
  name: string;
  namespace: string;
}

const isCluster = (o: K8sObject) => o.kind === 'Cluster' && o.group === GROUPS.cluster && o.name !== '';
const ref = (name: string, o: K8sObject): ClusterRef => ({ name, namespace: o.namespace ?? 'default' });

/** Whether `offset` lies in the YAML document `o` was read from. */
function around(o: K8sObject, offset: number): boolean {
  const span = o.doc.source.outerSpan(o.doc.doc.range[0], o.doc.doc.range[2]);
  return span.start <= offset && offset <= span.end;
}

/** From the objects of one file: the cluster the document at `offset` belongs to, by its own declarations. */
export function declaredClusterAt(objects: K8sObject[], offset: number): ClusterRef | undefined {
  for (const o of objects.filter((x) => around(x, offset))) {
    if (isCluster(o)) return ref(o.name, o);
    const labelled = stringAt(o.root, ['metadata', 'labels', CLUSTER_NAME_LABEL]);
    if (labelled) return ref(labelled, o);
  }
  const clusters = objects.filter(isCluster);
  return clusters.length === 1 ? ref(clusters[0]!.name, clusters[0]!) : undefined;
}
