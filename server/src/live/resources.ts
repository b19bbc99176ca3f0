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

type Wanted = { group: string; versions: string[]; plural: string; kind: string; namespaced: boolean };
// ProxmoxCluster, an infrastructure cluster, comes from infraClusterKinds.
const SOURCES: Wanted[] = [
  { group: 'ipam.metal3.io', versions: ['v1alpha1'], plural: 'ippools', kind: 'IPPool', namespaced: true },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1alpha2'], plural: 'inclusterprefixpools', kind: 'InClusterPrefixPool', namespaced: true },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1alpha2'], plural: 'globalinclusterprefixpools', kind: 'GlobalInClusterPrefixPool', namespaced: false },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1beta1', 'v1alpha1'], plural: 'infobloxippools', kind: 'InfobloxIPPool', namespaced: true },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1alpha1'], plural: 'netboxippools', kind: 'NetBoxIPPool', namespaced: true },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1alpha1'], plural: 'globalnetboxippools', kind: 'GlobalNetBoxIPPool', namespaced: false },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1alpha1'], plural: 'nutanixippools', kind: 'NutanixIPPool', namespaced: true },
  { group: 'ipam.cluster.x-k8s.io', versions: ['v1beta1', 'v1alpha1'], plural: 'unifiippools', kind: 'UnifiIPPool', namespaced: true },
  { group: 'controlplane.cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1'], plural: 'kubeadmcontrolplanes', kind: 'KubeadmControlPlane', namespaced: true },
  { group: 'cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1'], plural: 'machinedeployments', kind: 'MachineDeployment', namespaced: true },
  { group: 'metallb.io', versions: ['v1beta1'], plural: 'ipaddresspools', kind: 'IPAddressPool', namespaced: true },
  { group: 'metallb.io', versions: ['v1beta1'], plural: 'l2advertisements', kind: 'L2Advertisement', namespaced: true },
  { group: 'cilium.io', versions: ['v2', 'v2alpha1'], plural: 'ciliumloadbalancerippools', kind: 'CiliumLoadBalancerIPPool', namespaced: false },
  // Not an address source: which topology variables carry the VIP, for a workspace Cluster whose class is only in the cluster.
  { group: 'cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1'], plural: 'clusterclasses', kind: 'ClusterClass', namespaced: true },
];

const WANTED: Wanted[] = [
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
 * Metal3Cluster, …): the CAPI contract gives each a `spec.controlPlaneEndpoint`. Found by discovery,
 * not from a list, so a provider we never heard of is read too. Every served version of the group is
 * asked, in the API server's priority order (preferred first), each kind taken at the first that serves
 * it: providers move at their own pace (CAPV at v1beta1 beside CAPMOX at v1alpha1), and the group's
 * preferred version lists only the kinds served at it.
 */
async function infraClusterKinds(kc: k8s.KubeConfig, versions: string[], timeoutMs: number): Promise<Resource[]> {
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const out: Resource[] = [];
  const seen = new Set<string>();
  for (const version of versions) {
    const list = await custom.getAPIResources({ group: INFRA_GROUP, version }, withTimeout(timeoutMs)).catch(() => undefined);
    for (const r of list?.resources ?? []) {
      if (r.name.includes('/') || !/Cluster$/.test(r.kind) || r.kind === 'VSphereCluster' || seen.has(r.kind)) continue;
      if (!r.verbs.includes('list') || !r.verbs.includes('watch')) continue;
      seen.add(r.kind);
      out.push({ group: INFRA_GROUP, version, plural: r.name, kind: r.kind, namespaced: r.namespaced, optional: true, endpoint: true });
    }
  }
  return out;
}

/** The served resources among the ones we watch; a kind whose CRD is absent is simply absent. */
export async function discover(kc: k8s.KubeConfig, timeoutMs: number): Promise<Resource[]> {
  const apis = kc.makeApiClient(k8s.ApisApi);
  // The options are the second argument: as the first they would be taken for the (empty) request and dropped.
  const groups = await apis.getAPIVersions({}, withTimeout(timeoutMs));
  const served = new Map(groups.groups.map((g) => [g.name, new Set(g.versions.map((v) => v.version))]));
  const out: Resource[] = [];
  // A served group does not mean a served kind (CAIP serves ipam.cluster.x-k8s.io without the Infoblox
  // CRD): the other sources are kept only when their group version lists them, asked once per group version.
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const listed = new Map<string, Promise<Set<string>>>();
  const plurals = (group: string, version: string) => {
    const key = `${group}/${version}`;
    if (!listed.has(key))
      listed.set(
        key,
        custom.getAPIResources({ group, version }, withTimeout(timeoutMs)).then((l) => new Set(l.resources.map((r) => r.name))),
      );
    return listed.get(key)!;
  };
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
  // The other address sources (issue 23): read where their CRD is installed and permitted (a 403 leaves one out).
  for (const w of SOURCES) {
    const versions = served.get(w.group);
    for (const v of w.versions) {
      if (versions?.has(v) && (await plurals(w.group, v)).has(w.plural)) {
        out.push({ group: w.group, version: v, plural: w.plural, kind: w.kind, namespaced: w.namespaced, optional: true });
        break;
      }
    }
  }
  const infra = groups.groups.find((g) => g.name === INFRA_GROUP)?.versions.map((v) => v.version) ?? [];
  out.push(...(await infraClusterKinds(kc, infra, timeoutMs)));
  return out;
}

export function collectionPath(r: { group: string; version: string; plural: string }, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return namespace ? `${base}/namespaces/${namespace}/${r.plural}` : `${base}/${r.plural}`;
}
