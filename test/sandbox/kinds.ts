// The resource table: every kind the sandbox serves, its versions, discovery data and printer
// columns, plus the version conversions a real server would do for it.
import { isObject } from './json';
import { poolToV1alpha1, poolToV1alpha2 } from './poolConversion';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface ResourceDef {
  /** '' for the core group. */
  group: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  /** Served versions, preferred first. */
  versions: string[];
  storage: string;
  shortNames?: string[];
  categories?: string[];
  /** Has a /status subresource (PUT/PATCH of the main resource ignore .status). */
  status: boolean;
  /** Built into the apiserver: strategic merge patch allowed, unconditional PUT allowed. */
  core: boolean;
  /** CRD additionalPrinterColumns (undefined: the server's default Name + Age). */
  columns?: PrinterColumn[];
}

export const IPAM = 'ipam.cluster.x-k8s.io';
export const CAPI = 'cluster.x-k8s.io';
export const INFRA = 'infrastructure.cluster.x-k8s.io';
export const CONTROLPLANE = 'controlplane.cluster.x-k8s.io';
export const COORDINATION = 'coordination.k8s.io';

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const poolColumns: PrinterColumn[] = [
  { name: 'Addresses', type: 'string', jsonPath: '.spec.addresses', description: 'List of addresses, to allocate from' },
  { name: 'Total', type: 'integer', jsonPath: '.status.ipAddresses.total', description: 'Count of IPs configured for the pool' },
  { name: 'Free', type: 'integer', jsonPath: '.status.ipAddresses.free', description: 'Count of unallocated IPs in the pool' },
  { name: 'Used', type: 'integer', jsonPath: '.status.ipAddresses.used', description: 'Count of allocated IPs in the pool' },
];
const poolRefColumns: PrinterColumn[] = [
  { name: 'Pool Name', type: 'string', jsonPath: '.spec.poolRef.name', description: 'Name of the pool to allocate an address from' },
  { name: 'Pool Kind', type: 'string', jsonPath: '.spec.poolRef.kind', description: 'Kind of the pool to allocate an address from' },
];

const core = (kind: string, plural: string, namespaced: boolean, extra: Partial<ResourceDef> = {}): ResourceDef => ({
  group: '',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  versions: ['v1'],
  storage: 'v1',
  status: false,
  core: true,
  ...extra,
});

export const RESOURCES: ResourceDef[] = [
  core('Namespace', 'namespaces', false, { shortNames: ['ns'], status: true }),
  core('ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  core('Secret', 'secrets', true),
  core('Service', 'services', true, { shortNames: ['svc'], categories: ['all'], status: true }),
  core('Pod', 'pods', true, { shortNames: ['po'], categories: ['all'], status: true }),
  core('Node', 'nodes', false, { shortNames: ['no'], status: true }),
  { ...core('Lease', 'leases', true), group: COORDINATION },
  {
    group: IPAM,
    kind: 'InClusterIPPool',
    plural: 'inclusterippools',
    singular: 'inclusterippool',
    namespaced: true,
    versions: ['v1alpha2', 'v1alpha1'],
    storage: 'v1alpha2',
    categories: ['cluster-api'],
    status: true,
    core: false,
    columns: poolColumns,
  },
  {
    group: IPAM,
    kind: 'GlobalInClusterIPPool',
    plural: 'globalinclusterippools',
    singular: 'globalinclusterippool',
    namespaced: false,
    versions: ['v1alpha2', 'v1alpha1'],
    storage: 'v1alpha2',
    categories: ['cluster-api'],
    status: true,
    core: false,
    columns: poolColumns,
  },
  {
    group: IPAM,
    kind: 'IPAddressClaim',
    plural: 'ipaddressclaims',
    singular: 'ipaddressclaim',
    namespaced: true,
    versions: ['v1beta2', 'v1beta1'],
    storage: 'v1beta2',
    categories: ['cluster-api'],
    status: true,
    core: false,
    columns: [...poolRefColumns, age],
  },
  {
    group: IPAM,
    kind: 'IPAddress',
    plural: 'ipaddresses',
    singular: 'ipaddress',
    namespaced: true,
    versions: ['v1beta2', 'v1beta1'],
    storage: 'v1beta2',
    categories: ['cluster-api'],
    status: false,
    core: false,
    columns: [{ name: 'Address', type: 'string', jsonPath: '.spec.address', description: 'Address' }, ...poolRefColumns, age],
  },
  {
    group: CAPI,
    kind: 'Cluster',
    plural: 'clusters',
    singular: 'cluster',
    namespaced: true,
    versions: ['v1beta2', 'v1beta1'],
    storage: 'v1beta2',
    shortNames: ['cl'],
    categories: ['cluster-api'],
    status: true,
    core: false,
  },
  {
    group: CAPI,
    kind: 'Machine',
    plural: 'machines',
    singular: 'machine',
    namespaced: true,
    versions: ['v1beta2'],
    storage: 'v1beta2',
    shortNames: ['ma'],
    categories: ['cluster-api'],
    status: true,
    core: false,
  },
  {
    // Served at both versions; spec.patches has the same shape in each, so no field converts.
    group: CAPI,
    kind: 'ClusterClass',
    plural: 'clusterclasses',
    singular: 'clusterclass',
    namespaced: true,
    versions: ['v1beta2', 'v1beta1'],
    storage: 'v1beta2',
    shortNames: ['cc'],
    categories: ['cluster-api'],
    status: true,
    core: false,
  },
  {
    group: INFRA,
    kind: 'VSphereCluster',
    plural: 'vsphereclusters',
    singular: 'vspherecluster',
    namespaced: true,
    versions: ['v1beta1'],
    storage: 'v1beta1',
    categories: ['cluster-api'],
    status: true,
    core: false,
  },
  {
    group: CONTROLPLANE,
    kind: 'KubeadmControlPlane',
    plural: 'kubeadmcontrolplanes',
    singular: 'kubeadmcontrolplane',
    namespaced: true,
    versions: ['v1beta2'],
    storage: 'v1beta2',
    shortNames: ['kcp'],
    categories: ['cluster-api'],
    status: true,
    core: false,
  },
  // The other address sources (issue 23), as test/realstack/crds/address-sources.yaml defines them.
  ...SOURCE_KINDS(),
];

function SOURCE_KINDS(): ResourceDef[] {
  const crd = (group: string, kind: string, plural: string, namespaced: boolean, versions: string[]): ResourceDef => ({
    group,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    versions,
    storage: versions[0]!,
    status: true,
    core: false,
  });
  return [
    crd(IPAM, 'InClusterPrefixPool', 'inclusterprefixpools', true, ['v1alpha2']),
    crd(IPAM, 'GlobalInClusterPrefixPool', 'globalinclusterprefixpools', false, ['v1alpha2']),
    crd('ipam.metal3.io', 'IPPool', 'ippools', true, ['v1alpha1']),
    crd(IPAM, 'InfobloxIPPool', 'infobloxippools', true, ['v1alpha1']),
    crd(IPAM, 'NetBoxIPPool', 'netboxippools', true, ['v1alpha1']),
    crd(IPAM, 'GlobalNetBoxIPPool', 'globalnetboxippools', false, ['v1alpha1']),
    crd(IPAM, 'NutanixIPPool', 'nutanixippools', true, ['v1alpha1']),
    crd(IPAM, 'UnifiIPPool', 'unifiippools', true, ['v1alpha1']),
    crd(INFRA, 'ProxmoxCluster', 'proxmoxclusters', true, ['v1alpha1']),
    crd(CAPI, 'MachineDeployment', 'machinedeployments', true, ['v1beta2']),
    crd('metallb.io', 'IPAddressPool', 'ipaddresspools', true, ['v1beta1']),
    crd('metallb.io', 'L2Advertisement', 'l2advertisements', true, ['v1beta1']),
    crd('cilium.io', 'CiliumLoadBalancerIPPool', 'ciliumloadbalancerippools', false, ['v2']),
  ];
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function findByPlural(group: string, version: string, plural: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.plural === plural && r.versions.includes(version));
}

/** Looks a kind up by `apiVersion` (or a bare group) and kind name; the version need not be served. */
export function findByKind(apiVersionOrGroup: string, kind: string): ResourceDef | undefined {
  const group = apiVersionOrGroup.includes('/')
    ? splitApiVersion(apiVersionOrGroup).group
    : RESOURCES.some((r) => r.group === apiVersionOrGroup)
      ? apiVersionOrGroup
      : splitApiVersion(apiVersionOrGroup).group;
  return RESOURCES.find((r) => r.group === group && r.kind === kind);
}

/** A kind by name alone, or by plural, singular or short name (the sandbox's own test API). */
export function findLoose(name: string): ResourceDef | undefined {
  const n = name.toLowerCase();
  return RESOURCES.find((r) => r.kind.toLowerCase() === n || r.plural === n || r.singular === n || r.shortNames?.includes(n));
}

/** Kube version priority: GA > beta > alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const level = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [level, Number(m[1]), Number(m[3] ?? 0)];
  };
  const x = rank(a);
  const y = rank(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
  return 0;
}

// ---- conversion -------------------------------------------------------------------------

const REF_VERSIONS: Record<string, string> = { [INFRA]: 'v1beta1', [CONTROLPLANE]: 'v1beta2', [CAPI]: 'v1beta2' };

function clusterRefToV1beta2(ref: unknown): unknown {
  if (!isObject(ref)) return ref;
  const { apiVersion, namespace: _ns, uid: _uid, resourceVersion: _rv, fieldPath: _fp, ...rest } = ref;
  return typeof apiVersion === 'string' ? { apiGroup: splitApiVersion(apiVersion).group, ...rest } : rest;
}

function clusterRefToV1beta1(ref: unknown, namespace: string | undefined): unknown {
  if (!isObject(ref)) return ref;
  const { apiGroup, ...rest } = ref;
  const out: Record<string, unknown> = { ...rest };
  if (typeof apiGroup === 'string') out.apiVersion = apiVersionOf(apiGroup, REF_VERSIONS[apiGroup] ?? 'v1beta1');
  if (namespace) out.namespace = namespace;
  return out;
}

/**
 * Converts an object between served versions of its kind (in place on a copy the caller owns).
 * IPAM v1beta1<->v1beta2: a missing poolRef.apiGroup is "" in v1beta2; an IPAddress prefix is required in v1beta1.
 * Cluster v1beta1<->v1beta2: infrastructureRef/controlPlaneRef as ObjectReference vs {apiGroup, kind, name};
 * topology.class vs topology.classRef.name.
 */
export function convert(def: ResourceDef, obj: Record<string, any>, to: string): Record<string, any> {
  const from = splitApiVersion(String(obj.apiVersion ?? apiVersionOf(def.group, def.storage))).version;
  obj.apiVersion = apiVersionOf(def.group, to);
  obj.kind = def.kind;
  if (from === to) return obj;
  if (def.group === IPAM && /IPPool$/.test(def.kind)) {
    if (to === 'v1alpha1') poolToV1alpha1(obj);
    else poolToV1alpha2(obj);
    return obj;
  }
  const spec = isObject(obj.spec) ? obj.spec : undefined;
  if (def.group === IPAM && (def.kind === 'IPAddress' || def.kind === 'IPAddressClaim') && spec) {
    if (to === 'v1beta2') {
      if (isObject(spec.poolRef) && spec.poolRef.apiGroup === undefined) spec.poolRef.apiGroup = '';
    } else if (to === 'v1beta1') {
      if (isObject(spec.poolRef) && spec.poolRef.apiGroup === '') delete spec.poolRef.apiGroup;
      if (def.kind === 'IPAddress' && spec.prefix === undefined) spec.prefix = 0;
    }
  }
  if (def.group === CAPI && def.kind === 'Cluster' && spec) {
    const ns = obj.metadata?.namespace as string | undefined;
    for (const key of ['infrastructureRef', 'controlPlaneRef']) {
      if (spec[key] === undefined) continue;
      spec[key] = to === 'v1beta2' ? clusterRefToV1beta2(spec[key]) : clusterRefToV1beta1(spec[key], ns);
    }
    const topo = isObject(spec.topology) ? spec.topology : undefined;
    if (topo) {
      if (to === 'v1beta2' && typeof topo.class === 'string') {
        topo.classRef = { name: topo.class, ...(typeof topo.classNamespace === 'string' ? { namespace: topo.classNamespace } : {}) };
        delete topo.class;
        delete topo.classNamespace;
      } else if (to === 'v1beta1' && isObject(topo.classRef)) {
        topo.class = topo.classRef.name;
        if (topo.classRef.namespace) topo.classNamespace = topo.classRef.namespace;
        delete topo.classRef;
      }
    }
  }
  return obj;
}
