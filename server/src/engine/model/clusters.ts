// Workload clusters assembled from their documents (Cluster, infrastructure cluster, KCP, Secrets),
// linked by `infrastructureRef`/`controlPlaneRef` within a file or across files.
import { isMap, isScalar } from 'yaml';
import { mapAt, mapItems, nodeAt, pairAt, scalarAt, seqAt, stringAt } from '../yaml/documents';
import { appendToSeq, insertIntoMap } from '../yaml/insert';
import { derive, hostPart, textSite, valueSite } from '../yaml/sites';
import { base64Source, scalarSource } from '../yaml/source';
import type { TextEdit } from '../types';
import { perObject, perObjectWith } from '../memo';
import { type K8sObject, is } from './kinds';
import { commandPlaces, kubeVipPlaces, looksLikeKubeVip } from './kubeVip';
import type { CertSanList, CidrSite, VipPlace, WorkloadCluster } from './types';
import { type TopologyVariables, classNameOf, classVariables, mergeVariables } from './clusterClass';

export type { TopologyVariables };

export const DEFAULT_TOPOLOGY_VARIABLES: TopologyVariables = { vip: ['controlPlaneIpAddr'], kubeVipManifest: ['kubeVipPodManifest'] };

export const POOL_ANNOTATION = 'capi-ipam.dev/pool';
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

/** Name of the IPAddressClaim the extension creates for a cluster's VIP. */
export function vipClaimName(cluster: string): string {
  return `${cluster}-control-plane-vip`;
}

const key = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;

/** A Cluster's `infrastructureRef` and `controlPlaneRef`, read once per object. */
const refsOf = perObject((o: K8sObject) => ['infrastructureRef', 'controlPlaneRef'].map((field) => refOf(o, field)));

function refOf(o: K8sObject, field: string): { kind: string; name: string; namespace: string } | undefined {
  const ref = mapAt(o.root, ['spec', field]);
  const kind = stringAt(ref, ['kind']);
  const name = stringAt(ref, ['name']);
  if (!kind || !name) return undefined;
  return { kind, name, namespace: stringAt(ref, ['namespace']) ?? o.namespace ?? 'default' };
}

function endpointPlace(o: K8sObject, role: 'cluster-endpoint' | 'infra-endpoint'): VipPlace | undefined {
  const endpoint = mapAt(o.root, ['spec', 'controlPlaneEndpoint']);
  if (!endpoint || !pairAt(endpoint, 'host')) return undefined;
  const host = endpoint.get('host', true);
  if (!isScalar(host)) return undefined;
  return derive(valueSite(o.doc.source, host), { role, label: `${o.kind} ${o.name} .spec.controlPlaneEndpoint.host` });
}

const CLUSTER_CONFIG = ['spec', 'kubeadmConfigSpec', 'clusterConfiguration'];

function kcpEndpointPlace(kcp: K8sObject): VipPlace | undefined {
  const node = scalarAt(kcp.root, [...CLUSTER_CONFIG, 'controlPlaneEndpoint']);
  if (!node || node.value === null || node.value === undefined || node.value === '') return undefined;
  const text = scalarSource(kcp.doc.source, node);
  const { start, end } = hostPart(text.text);
  return derive(textSite(text, start, end), {
    role: 'kcp-endpoint' as const,
    label: `KubeadmControlPlane ${kcp.name} clusterConfiguration.controlPlaneEndpoint`,
  });
}

function kcpFilePlaces(kcp: K8sObject, secrets: Map<string, K8sObject>): VipPlace[] {
  const places: VipPlace[] = [];
  for (const { index, map: file } of mapItems(seqAt(kcp.root, ['spec', 'kubeadmConfigSpec', 'files']))) {
    const path = stringAt(file, ['path']);
    const where = `KubeadmControlPlane ${kcp.name} files[${index}]${path ? ' ' + path : ''}`;
    const content = file.get('content', true);
    if (isScalar(content) && typeof content.value === 'string') {
      const encoding = stringAt(file, ['encoding']);
      if (encoding === 'base64' || encoding === 'b64' || encoding === 'gzip+base64' || encoding === 'gz+b64') {
        const decoded = base64Source(kcp.doc.source, content, encoding.startsWith('gz'));
        if (decoded && looksLikeKubeVip(path, decoded.text)) places.push(...kubeVipPlaces(decoded, `${where} (${encoding})`, content));
      } else if (looksLikeKubeVip(path, content.value)) places.push(...kubeVipPlaces(scalarSource(kcp.doc.source, content), where, content));
      continue;
    }
    const secretName = stringAt(file, ['contentFrom', 'secret', 'name']);
    const secretKey = stringAt(file, ['contentFrom', 'secret', 'key']);
    if (!secretName || !secretKey) continue;
    const secret = secrets.get(key('Secret', kcp.namespace, secretName));
    if (!secret) continue;
    const viaSecret = `Secret ${secretName} key ${secretKey}, used by ${where}`;
    const plain = scalarAt(secret.root, ['stringData', secretKey]);
    if (plain && typeof plain.value === 'string') {
      places.push(...kubeVipPlaces(scalarSource(secret.doc.source, plain), viaSecret, plain));
      continue;
    }
    const encoded = scalarAt(secret.root, ['data', secretKey]);
    const decoded = encoded && base64Source(secret.doc.source, encoded);
    if (decoded && looksLikeKubeVip(path, decoded.text)) places.push(...kubeVipPlaces(decoded, viaSecret + ' (base64)', encoded));
  }
  return places;
}

function certSanList(kcp: K8sObject): CertSanList {
  const source = kcp.doc.source;
  const path = [...CLUSTER_CONFIG, 'apiServer', 'certSANs'];
  const seq = seqAt(kcp.root, path);
  const items = seq ? seq.items.flatMap((n, index) => (isScalar(n) && n.value !== null ? [derive(valueSite(source, n), { index })] : [])) : [];
  const append = (value: string): TextEdit[] => {
    if (seq) return appendToSeq(source, seq, value);
    // Create the missing keys under the deepest mapping that exists.
    for (let depth = path.length - 1; depth >= 1; depth--) {
      const parent = nodeAt(kcp.root, path.slice(0, depth));
      if (isMap(parent) && nodeAt(kcp.root, path.slice(0, depth + 1)) === undefined) {
        return insertIntoMap(source, parent, path.slice(depth), value);
      }
    }
    return [];
  };
  const remove = (index: number): TextEdit[] => {
    const node = seq?.items[index];
    if (!seq || !isScalar(node) || !node.range) return [];
    const text = source.text;
    const [start, end] = node.range;
    if (seq.flow) {
      // `[a, b]`: the item with the comma after it, or, for the last one, the comma before it.
      const next = seq.items[index + 1] as { range?: [number, number] } | undefined;
      const prev = seq.items[index - 1] as { range?: [number, number] } | undefined;
      if (next?.range) return source.replace(start, next.range[0], '');
      return prev?.range ? source.replace(prev.range[1], end, '') : source.replace(start, end, '');
    }
    // A block item: its whole line, when the line holds `- value` and at most a comment.
    const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1)) + 1;
    const rest = /^[^\S\r\n]*(#[^\r\n]*)?(\r\n|\r|\n|$)/.exec(text.slice(end));
    if (!/^\s*-\s+$/.test(text.slice(lineStart, start)) || !rest) return [];
    return source.replace(lineStart, end + rest[0].length, '');
  };
  return { items, append, remove };
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

function topologyPlaces(o: K8sObject, vars: TopologyVariables): VipPlace[] {
  const places: VipPlace[] = [];
  const vipPaths = vars.vip.map(splitPath);
  for (const { map: v } of mapItems(seqAt(o.root, ['spec', 'topology', 'variables']))) {
    const name = stringAt(v, ['name']) ?? '';
    for (const [variable, sub] of vipPaths) {
      if (variable !== name) continue;
      const value = nodeAt(v, ['value', ...sub]);
      if (!isScalar(value)) continue;
      const label = `Cluster ${o.name} topology variable ${[name, ...sub].join('.')}`;
      places.push(derive(valueSite(o.doc.source, value), { role: 'topology-variable' as const, label }));
    }
    const value = v.get('value', true);
    if (vars.kubeVipManifest.includes(name) && isScalar(value) && typeof value.value === 'string') {
      places.push(...kubeVipPlaces(scalarSource(o.doc.source, value), `Cluster ${o.name} topology variable ${name}`, value));
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
  } else if (is.kcp(part)) {
    const ep = kcpEndpointPlace(part);
    if (ep) c.places.push(ep);
    c.places.push(...kcpFilePlaces(part, secrets));
    seqAt(part.root, ['spec', 'kubeadmConfigSpec', 'preKubeadmCommands'])?.items.forEach((n, i) => {
      if (isScalar(n) && typeof n.value === 'string')
        c.places.push(...commandPlaces(scalarSource(part.doc.source, n), `KubeadmControlPlane ${part.name} preKubeadmCommands[${i}]`));
    });
    c.certSans = certSanList(part);
  }
}

/** Secrets a KCP reads its files from (`contentFrom.secret`), resolved now (or null when absent). */
function secretDeps(kcp: K8sObject, secrets: Map<string, K8sObject>): unknown[] {
  return secretNames(kcp).map((name) => secrets.get(key('Secret', kcp.namespace, name))?.doc ?? null);
}

/** The Secrets a KCP's files name, read once per object (each analysis resolves them again). */
const secretNames = perObject((kcp: K8sObject) =>
  mapItems(seqAt(kcp.root, ['spec', 'kubeadmConfigSpec', 'files'])).flatMap(({ map }) => {
    const name = stringAt(map, ['contentFrom', 'secret', 'name']);
    return name ? [name] : [];
  }),
);

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

export function buildClusters(objects: K8sObject[], vars: TopologyVariables = DEFAULT_TOPOLOGY_VARIABLES): WorkloadCluster[] {
  // Several parts may share an identity (templates with `name: ${CLUSTER_NAME}`): a Cluster takes the one of its own file.
  const parts = new Map<string, K8sObject[]>();
  const secrets = new Map<string, K8sObject>();
  const classes = new Map<string, K8sObject>();
  for (const o of objects) {
    if (o.group === 'cluster.x-k8s.io' && o.kind === 'ClusterClass') classes.set(o.name, o);
    if (is.infraCluster(o) || is.kcp(o)) {
      const k = key(o.kind, o.namespace, o.name);
      parts.set(k, [...(parts.get(k) ?? []), o]);
    }
    if (is.secret(o)) secrets.set(key('Secret', o.namespace, o.name), o);
  }
  const linked = new Set<string>(); // identities some Cluster refers to
  const clusters: WorkloadCluster[] = [];
  const seen = new Set<string>();
  for (const o of objects.filter(is.cluster)) {
    // The same Cluster supplied twice (a rendered copy, a List and its items) is one cluster.
    const identity = identityOf(o);
    if (seen.has(identity)) continue;
    seen.add(identity);
    const refs = refsOf(o).flatMap((ref) => {
      const candidates = (ref && parts.get(key(ref.kind, ref.namespace, ref.name))) || [];
      const part = candidates.find((p) => p.doc.source.uri === o.doc.source.uri) ?? candidates[candidates.length - 1];
      return part ? [part] : [];
    });
    for (const part of refs) linked.add(key(part.kind, part.namespace, part.name));
    // The ClusterClass in the workspace (by name: classes of other namespaces are rare) tells which variables carry the VIP.
    const className = classNameOf(o);
    const cc = className !== undefined ? classes.get(className) : undefined;
    const deps = [o.doc, cc?.doc ?? null, ...refs.flatMap((p) => [p.doc, ...(is.kcp(p) ? secretDeps(p, secrets) : [])])];
    clusters.push(
      memoised(o.root, deps, vars, () => {
        const c = newCluster(o.name, o.namespace ?? 'default', o);
        Object.defineProperty(c, 'cluster', { get: () => o.anchor, enumerable: true });
        c.uris.push(o.doc.source.uri);
        const own = endpointPlace(o, 'cluster-endpoint');
        if (own) c.places.push(own);
        c.places.push(...topologyPlaces(o, mergeVariables(vars, cc && classVariables(cc))));
        for (const part of refs) addParts(c, part, secrets);
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
    if (linked.has(key(part.kind, part.namespace, part.name))) continue;
    const id = `${part.namespace}/${part.name}`;
    orphans.set(id, [...(orphans.get(id) ?? []), part]);
  }
  for (const group of orphans.values()) {
    const first = group[0]!;
    const deps = group.flatMap((p) => [p.doc, ...(is.kcp(p) ? secretDeps(p, secrets) : [])]);
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
