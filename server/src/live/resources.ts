// Which version of each kind the management cluster serves (discovery), in order of preference.
import { k8s, withTimeout } from './kube';

export interface Resource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

const WANTED: { group: string; versions: string[]; plural: string; kind: string; namespaced: boolean }[] = [
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1alpha2', 'v1alpha1'], plural: 'inclusterippools', kind: 'InClusterIPPool', namespaced: true },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1alpha2', 'v1alpha1'], plural: 'globalinclusterippools', kind: 'GlobalInClusterIPPool', namespaced: false },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1', 'v1alpha1'], plural: 'ipaddresses', kind: 'IPAddress', namespaced: true },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1', 'v1alpha1'], plural: 'ipaddressclaims', kind: 'IPAddressClaim', namespaced: true },
  { group: 'cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1'], plural: 'clusters', kind: 'Cluster', namespaced: true },
  { group: 'infrastructure.cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1'], plural: 'vsphereclusters', kind: 'VSphereCluster', namespaced: true },
];

/** The served resources among the ones we watch; a kind whose CRD is absent is simply absent. */
export async function discover(kc: k8s.KubeConfig, timeoutMs: number): Promise<Resource[]> {
  const apis = kc.makeApiClient(k8s.ApisApi);
  // The options are the second argument: as the first they would be taken for the (empty) request and dropped.
  const groups = await apis.getAPIVersions({}, withTimeout(timeoutMs));
  const served = new Map(groups.groups.map((g) => [g.name, new Set(g.versions.map((v) => v.version))]));
  const out: Resource[] = [];
  for (const w of WANTED) {
    const versions = served.get(w.group);
    const version = w.versions.find((v) => versions?.has(v));
    if (version) out.push({ group: w.group, version, plural: w.plural, kind: w.kind, namespaced: w.namespaced });
  }
  return out;
}

export function collectionPath(r: { group: string; version: string; plural: string }, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return namespace ? `${base}/namespaces/${namespace}/${r.plural}` : `${base}/${r.plural}`;
}
