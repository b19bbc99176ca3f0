// Workload clusters assembled from their documents (Cluster, infrastructure cluster, KCP, Secrets),
// linked by `infrastructureRef`/`controlPlaneRef` within a file or across files.
import { isScalar } from 'yaml';
import { mapAt, mapItems, nodeAt, pairAt, seqAt, stringAt } from '../yaml/documents';
import { derive, valueSite } from '../yaml/sites';
import { scalarSource } from '../yaml/source';
import { perObject, perObjectWith } from '../memo';
import { type K8sObject, is } from './kinds';
import { kubeVipPlaces } from './kubeVip';
import { controlPlaneParts, fileSecretNames, isControlPlane } from './controlPlanes';
import { resourceSetsOf, resourceSetPlaces } from './resourceSets';
import type { CidrSite, VipPlace, WorkloadCluster } from './types';
import { type LiveClusterClass, type TopologyVariables, classNameOf, classNamespaceOf, classVariables, mergeVariables } from './clusterClass';

export type { TopologyVariables };

/**
 * Read without the ClusterClass: CAPV's `controlPlaneIpAddr`, and the `controlPlaneEndpoint` object
 * of Proxmox, Metal3 and Harvester (`.host`) and Nutanix (`.IP`).
 */
export const DEFAULT_TOPOLOGY_VARIABLES: TopologyVariables = {
  vip: ['controlPlaneIpAddr', 'controlPlaneEndpoint.host', 'controlPlaneEndpoint.IP'],
  kubeVipManifest: ['kubeVipPodManifest'],
};

export const POOL_ANNOTATION = 'capi-ipam.dev/pool';
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

/** Name of the IPAddressClaim the extension creates for a cluster's VIP. */
export function vipClaimName(cluster: string): string {
  return `${cluster}-control-plane-vip`;
}

const key = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;

/** An object's key, made once per object: an analysis after an edit links 2,000 unchanged objects again by these. */
const keyOf = perObject((o: K8sObject) => key(o.kind, o.namespace, o.name));

/** A Cluster's `infrastructureRef` and `controlPlaneRef`, read once per object. */
const refsOf = perObject((o: K8sObject) => ['infrastructureRef', 'controlPlaneRef'].map((field) => refOf(o, field)));

function refOf(o: K8sObject, field: string): { kind: string; name: string; namespace: string; key: string } | undefined {
  const ref = mapAt(o.root, ['spec', field]);
  const kind = stringAt(ref, ['kind']);
  const name = stringAt(ref, ['name']);
  if (!kind || !name) return undefined;
  const namespace = stringAt(ref, ['namespace']) ?? o.namespace ?? 'default';
  return { kind, name, namespace, key: key(kind, namespace, name) };
}

function endpointPlace(o: K8sObject, role: 'cluster-endpoint' | 'infra-endpoint'): VipPlace | undefined {
  const endpoint = mapAt(o.root, ['spec', 'controlPlaneEndpoint']);
  if (!endpoint || !pairAt(endpoint, 'host')) return undefined;
  const host = endpoint.get('host', true);
  if (!isScalar(host)) return undefined;
  return derive(valueSite(o.doc.source, host), { role, label: `${o.kind} ${o.name} .spec.controlPlaneEndpoint.host` });
}

function cidrs(o: K8sObject, which: 'pods' | 'services'): CidrSite[] {
  const seq = seqAt(o.root, ['spec', 'clusterNetwork', which, 'cidrBlocks']);
  if (!seq) return [];
  return seq.items.flatMap((n) => {
    if (!isScalar(n) || typeof n.value !== 'string') return [];
    return [valueSite(o.doc.source, n)];
  });
}

/** `controlPlaneIpAddr` → [controlPlaneIpAddr, []]; `controlPlaneEndpoint.host` → [controlPlaneEndpoint, [host]]. */
function splitPath(path: string): [string, string[]] {
  const [name, ...sub] = path.split('.');
  return [name!, sub];
}

/**
 * `live`: a ClusterClass read from the management cluster, whose variables are named in the places'
 * labels ("… (ClusterClass ns/name read from the management cluster)") unless configured anyway.
 */
function topologyPlaces(o: K8sObject, configured: TopologyVariables, live?: { vars: TopologyVariables; from: string }): VipPlace[] {
  const vars = mergeVariables(configured, live?.vars);
  const suffix = (variable: string, list: 'vip' | 'kubeVipManifest') =>
    live && live.vars[list].includes(variable) && !configured[list].includes(variable) ? ` (${live.from})` : '';
  const places: VipPlace[] = [];
  const vipPaths = vars.vip.map(splitPath);
  for (const { map: v } of mapItems(seqAt(o.root, ['spec', 'topology', 'variables']))) {
    const name = stringAt(v, ['name']) ?? '';
    for (const [variable, sub] of vipPaths) {
      if (variable !== name) continue;
      const value = nodeAt(v, ['value', ...sub]);
      if (!isScalar(value)) continue;
      const path = [name, ...sub].join('.');
      const label = `Cluster ${o.name} topology variable ${path}${suffix(path, 'vip')}`;
      places.push(derive(valueSite(o.doc.source, value), { role: 'topology-variable' as const, label }));
    }
    const value = v.get('value', true);
    if (vars.kubeVipManifest.includes(name) && isScalar(value) && typeof value.value === 'string') {
      places.push(...kubeVipPlaces(scalarSource(o.doc.source, value), `Cluster ${o.name} topology variable ${name}${suffix(name, 'kubeVipManifest')}`, value));
    }
  }
  return places;
}

function newCluster(name: string, namespace: string, first: K8sObject): WorkloadCluster {
  return {
    name,
    namespace,
    places: [],
    podCidrs: [],
    serviceCidrs: [],
    uris: [],
    claimNames: [vipClaimName(name)],
    get anchor() {
      return first.anchor;
    },
  };
}

function addParts(c: WorkloadCluster, part: K8sObject, secrets: Map<string, K8sObject>) {
  if (!c.uris.includes(part.doc.source.uri)) c.uris.push(part.doc.source.uri);
  if (is.infraCluster(part)) {
    const p = endpointPlace(part, 'infra-endpoint');
    if (p) c.places.push(p);
  } else if (isControlPlane(part)) {
    const { places, certSans } = controlPlaneParts(part, secrets);
    c.places.push(...places);
    c.certSans = certSans;
  }
}

/** Secrets a control plane reads its files from (`contentFrom.secret`), resolved now (or null when absent). */
function secretDeps(cp: K8sObject, secrets: Map<string, K8sObject>): unknown[] {
  return secretNames(cp).map((name) => secrets.get(key('Secret', cp.namespace, name))?.doc ?? null);
}

/** The Secrets a control plane's files name, read once per object (each analysis resolves them again). */
const secretNames = perObject(fileSecretNames);

/**
 * A Cluster's identity and content, independent of where and how it is written. Made once per
 * object: the same string each analysis, so the set of clusters seen hashes it only once.
 */
const identityOf = perObject((o: K8sObject) => `${o.namespace}/${o.name}\u0000${JSON.stringify(o.root.toJSON())}`);

/**
 * Clusters whose documents are all unchanged are reused as they are: their sites compute spans
 * on access, so they stay right when the documents move. Keyed by the first object's root node
 * (a List document holds several); made again when a document it reads or the variables change.
 */
const clusterOf = perObjectWith<object, WorkloadCluster>();

function memoised(first: object, deps: unknown[], vars: TopologyVariables, build: () => WorkloadCluster): WorkloadCluster {
  return clusterOf(first, [vars, ...deps], build);
}

/**
 * `liveClasses`: the management cluster's ClusterClasses, for a Cluster whose class is not in the
 * workspace (a workspace class of the same name wins).
 */
export function buildClusters(
  objects: K8sObject[],
  vars: TopologyVariables = DEFAULT_TOPOLOGY_VARIABLES,
  liveClasses: readonly LiveClusterClass[] = [],
): WorkloadCluster[] {
  // Several parts may share an identity (templates with `name: ${CLUSTER_NAME}`): a Cluster takes the one of its own file.
  const parts = new Map<string, K8sObject[]>();
  const secrets = new Map<string, K8sObject>();
  const classes = new Map<string, K8sObject>();
  for (const o of objects) {
    if (o.group === 'cluster.x-k8s.io' && o.kind === 'ClusterClass') classes.set(o.name, o);
    if (is.infraCluster(o) || isControlPlane(o)) {
      const k = keyOf(o);
      const list = parts.get(k);
      if (list) list.push(o);
      else parts.set(k, [o]);
    }
    if (is.secret(o)) secrets.set(key('Secret', o.namespace, o.name), o);
  }
  const sets = resourceSetsOf(objects);
  const linked = new Set<string>(); // identities some Cluster refers to
  const clusters: WorkloadCluster[] = [];
  const seen = new Set<string>();
  for (const o of objects.filter(is.cluster)) {
    // The same Cluster supplied twice (a rendered copy, a List and its items) is one cluster.
    const identity = identityOf(o);
    if (seen.has(identity)) continue;
    seen.add(identity);
    const refs = refsOf(o).flatMap((ref) => {
      const candidates = (ref && parts.get(ref.key)) || [];
      const part = candidates.find((p) => p.doc.source.uri === o.doc.source.uri) ?? candidates[candidates.length - 1];
      return part ? [part] : [];
    });
    for (const part of refs) linked.add(keyOf(part));
    // The ClusterClass in the workspace (by name: classes of other namespaces are rare) tells which variables carry the VIP.
    const className = classNameOf(o);
    const cc = className !== undefined ? classes.get(className) : undefined;
    const classNamespace = classNamespaceOf(o);
    const live = cc || className === undefined ? undefined : liveClasses.find((l) => l.name === className && l.namespace === classNamespace);
    const shipped = sets.forCluster(o);
    const deps = [o.doc, cc?.doc ?? null, live ?? null, ...shipped.deps, ...refs.flatMap((p) => [p.doc, ...(isControlPlane(p) ? secretDeps(p, secrets) : [])])];
    clusters.push(
      memoised(o.root, deps, vars, () => {
        const c = newCluster(o.name, o.namespace ?? 'default', o);
        Object.defineProperty(c, 'cluster', { get: () => o.anchor, enumerable: true });
        c.uris.push(o.doc.source.uri);
        const own = endpointPlace(o, 'cluster-endpoint');
        if (own) c.places.push(own);
        const from = `ClusterClass ${live?.namespace}/${live?.name} read from the management cluster`;
        c.places.push(...(cc ? topologyPlaces(o, mergeVariables(vars, classVariables(cc))) : topologyPlaces(o, vars, live && { vars: live.variables, from })));
        for (const part of refs) addParts(c, part, secrets);
        c.places.push(...resourceSetPlaces(shipped));
        c.podCidrs = cidrs(o, 'pods');
        c.serviceCidrs = cidrs(o, 'services');
        c.poolHint = stringAt(o.root, ['metadata', 'annotations', POOL_ANNOTATION]);
        return c;
      }),
    );
  }
  // Parts no Cluster refers to (a template split differently): group them by namespace/name.
  const orphans = new Map<string, K8sObject[]>();
  for (const part of [...parts.values()].flat()) {
    if (linked.has(keyOf(part))) continue;
    const id = `${part.namespace}/${part.name}`;
    orphans.set(id, [...(orphans.get(id) ?? []), part]);
  }
  for (const group of orphans.values()) {
    const first = group[0]!;
    const deps = group.flatMap((p) => [p.doc, ...(isControlPlane(p) ? secretDeps(p, secrets) : [])]);
    clusters.push(
      memoised(first.root, deps, vars, () => {
        const c = newCluster(first.name, first.namespace ?? 'default', first);
        for (const part of group) addParts(c, part, secrets);
        return c;
      }),
    );
  }
  return clusters;
}

export function clusterId(c: { name: string; namespace: string }): string {
  return `${c.namespace}/${c.name}`;
}
