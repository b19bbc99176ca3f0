// Which version of each kind the management cluster serves (discovery), in order of preference.
import { k8s, withTimeout } from './kube';

export interface Resource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Read when served and permitted: a 403 leaves it out instead of failing the connection (issue 22's kinds). */
  optional?: boolean;
  /** An infrastructure cluster kind: its `spec.controlPlaneEndpoint` is a cluster's endpoint. */
  endpoint?: boolean;
}

const WANTED: { group: string; versions: string[]; plural: string; kind: string; namespaced: boolean }[] = [
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1alpha2', 'v1alpha1'], plural: 'inclusterippools', kind: 'InClusterIPPool', namespaced: true },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1alpha2', 'v1alpha1'], plural: 'globalinclusterippools', kind: 'GlobalInClusterIPPool', namespaced: false },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1', 'v1alpha1'], plural: 'ipaddresses', kind: 'IPAddress', namespaced: true },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1', 'v1alpha1'], plural: 'ipaddressclaims', kind: 'IPAddressClaim', namespaced: true },
  { group: 'cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1'], plural: 'clusters', kind: 'Cluster', namespaced: true },
  { group: 'infrastructure.cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1'], plural: 'vsphereclusters', kind: 'VSphereCluster', namespaced: true },
];

/** Read when served, for the estate: Machines' addresses. A 403 leaves them out. */
const OPTIONAL: typeof WANTED = [{ group: 'cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1'], plural: 'machines', kind: 'Machine', namespaced: true }];

export const INFRA_GROUP = 'infrastructure.cluster.x-k8s.io';

/**
 * Every served infrastructure cluster kind besides VSphereCluster (ProxmoxCluster, NutanixCluster,
 * Metal3Cluster, …): the CAPI contract gives each a `spec.controlPlaneEndpoint`. Found by discovery
 * of the group's preferred version, not from a list, so a provider we never heard of is read too.
 */
async function infraClusterKinds(kc: k8s.KubeConfig, version: string | undefined, timeoutMs: number): Promise<Resource[]> {
  if (!version) return [];
  const list = await kc.makeApiClient(k8s.CustomObjectsApi).getAPIResources({ group: INFRA_GROUP, version }, withTimeout(timeoutMs));
  return list.resources
    .filter((r) => !r.name.includes('/') && /Cluster$/.test(r.kind) && r.kind !== 'VSphereCluster' && r.verbs.includes('list') && r.verbs.includes('watch'))
    .map((r) => ({ group: INFRA_GROUP, version, plural: r.name, kind: r.kind, namespaced: r.namespaced, optional: true, endpoint: true }));
}

/** The served resources among the ones we watch; a kind whose CRD is absent is simply absent. */
export async function discover(kc: k8s.KubeConfig, timeoutMs: number): Promise<Resource[]> {
  const apis = kc.makeApiClient(k8s.ApisApi);
  // The options are the second argument: as the first they would be taken for the (empty) request and dropped.
  const groups = await apis.getAPIVersions({}, withTimeout(timeoutMs));
  const served = new Map(groups.groups.map((g) => [g.name, new Set(g.versions.map((v) => v.version))]));
  const out: Resource[] = [];
  for (const [list, optional] of [
    [WANTED, false],
    [OPTIONAL, true],
  ] as const) {
    for (const w of list) {
      const versions = served.get(w.group);
      const version = w.versions.find((v) => versions?.has(v));
      if (version) out.push({ group: w.group, version, plural: w.plural, kind: w.kind, namespaced: w.namespaced, ...(optional ? { optional } : {}) });
    }
  }
  const infra = groups.groups.find((g) => g.name === INFRA_GROUP)?.preferredVersion?.version;
  out.push(...(await infraClusterKinds(kc, infra, timeoutMs).catch(() => [])));
  return out;
}

export function collectionPath(r: { group: string; version: string; plural: string }, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return namespace ? `${base}/namespaces/${namespace}/${r.plural}` : `${base}/${r.plural}`;
}
