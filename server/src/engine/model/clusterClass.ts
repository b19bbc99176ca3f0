// Which topology variables carry the VIP, learnt from the ClusterClass a Cluster uses: its patches
// (`spec.patches[].definitions[].jsonPatches[]`) say which variable — or which sub-field of an
// object variable (`controlPlaneEndpoint.host`, Nutanix's `controlPlaneEndpoint.IP`) — is written
// into the infrastructure cluster's endpoint or into the kube-vip manifest, by `valueFrom.variable`
// or by a Go template in `valueFrom.template`.
import { type Scalar, isMap, isScalar, isSeq } from 'yaml';
import { mapAt, mapItems, parseEmbedded, seqAt, stringAt } from '../yaml/documents';
import { scalarSource } from '../yaml/source';
import { maskTemplates } from '../yaml/templates';
import { ChunkSource } from '../yaml/chunks';
import { parseDocuments } from '../yaml/documents';
import { type K8sObject, objectsOf } from './kinds';
import { perObject } from '../memo';
import { kubeVipPlaces, looksLikeKubeVip } from './kubeVip';

export interface TopologyVariables {
  /** Variable names or paths into object variables (`controlPlaneEndpoint.host`) holding the VIP. */
  vip: string[];
  /** String variables holding the kube-vip static pod manifest. */
  kubeVipManifest: string[];
}

/** The variables (with sub-paths) a template reads: `{{ .controlPlaneEndpoint.host }}` → controlPlaneEndpoint.host. */
export function templateRefs(text: string): string[] {
  const refs: string[] = [];
  for (const r of maskTemplates(text).regions) {
    for (const m of text.slice(r.start, r.end).matchAll(/(?<![\w)\]])\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)/g)) refs.push(m[1]!);
  }
  return refs;
}

const ENDPOINT = /\/controlPlaneEndpoint(\/host)?$/;
const KCP_ENDPOINT = /\/clusterConfiguration\/controlPlaneEndpoint$/;

/** VIP variables of one JSON patch whose value is a Go template (parsed as YAML, markup masked). */
function fromTemplate(cc: K8sObject, path: string, node: Scalar): string[] {
  const docs = parseEmbedded(node, () => scalarSource(cc.doc.source, node));
  const root = docs[0]?.doc.contents;
  if (ENDPOINT.test(path) || KCP_ENDPOINT.test(path)) {
    // `host: '{{ .controlPlaneEndpoint.IP }}'` (an object), or the host itself.
    const host = isMap(root) && !path.endsWith('/host') ? root.get('host', true) : root;
    return isScalar(host) && typeof host.value === 'string' ? templateRefs(host.value) : [];
  }
  if (!/\/files(\/|$)/.test(path)) return [];
  // A file entry, or a list of them, whose kube-vip manifest has a templated address.
  const files = isSeq(root) ? mapItems(root).map((i) => i.map) : isMap(root) ? [root] : [];
  return files.flatMap((file) => {
    const content = file.get('content', true);
    if (!isScalar(content) || typeof content.value !== 'string' || !looksLikeKubeVip(stringAt(file, ['path']), content.value)) return [];
    return kubeVipPlaces(scalarSource(docs[0]!.source, content), 'ClusterClass', content).flatMap((p) => (p.templated ? templateRefs(p.value) : []));
  });
}

const learnt = perObject((_doc: K8sObject['doc'], cc: K8sObject) => learn(cc));

/** What the ClusterClass's patches say, computed once per document. */
export function classVariables(cc: K8sObject): TopologyVariables {
  return learnt(cc.doc, cc);
}

function learn(cc: K8sObject): TopologyVariables {
  let vars: TopologyVariables = { vip: [], kubeVipManifest: [] };
  for (const { map: patch } of mapItems(seqAt(cc.root, ['spec', 'patches']))) {
    for (const { map: def } of mapItems(seqAt(patch, ['definitions']))) {
      for (const { map: jp } of mapItems(seqAt(def, ['jsonPatches']))) {
        const path = stringAt(jp, ['path']) ?? '';
        const variable = stringAt(jp, ['valueFrom', 'variable']);
        const template = mapAt(jp, ['valueFrom'])?.get('template', true);
        if (variable) {
          if (/\/controlPlaneEndpoint\/host$/.test(path) || KCP_ENDPOINT.test(path)) vars.vip.push(variable);
          else if (/\/controlPlaneEndpoint$/.test(path)) vars.vip.push(`${variable}.host`);
          else if (/\/files\/\d+\/content$/.test(path)) vars.kubeVipManifest.push(variable);
        } else if (isScalar(template) && typeof template.value === 'string') {
          vars.vip.push(...fromTemplate(cc, path, template));
        }
      }
    }
  }
  vars = { vip: [...new Set(vars.vip)], kubeVipManifest: [...new Set(vars.kubeVipManifest)] };
  return vars;
}

/** The name of the ClusterClass a Cluster uses (v1beta1 `topology.class`, v1beta2 `topology.classRef.name`). */
export function classNameOf(cluster: K8sObject): string | undefined {
  return stringAt(cluster.root, ['spec', 'topology', 'class']) ?? stringAt(cluster.root, ['spec', 'topology', 'classRef', 'name']);
}

/** The ClusterClass's namespace (v1beta1 `topology.classNamespace`, v1beta2 `topology.classRef.namespace`), else the Cluster's. */
export function classNamespaceOf(cluster: K8sObject): string {
  return (
    stringAt(cluster.root, ['spec', 'topology', 'classNamespace']) ??
    stringAt(cluster.root, ['spec', 'topology', 'classRef', 'namespace']) ??
    cluster.namespace ??
    'default'
  );
}

/** A ClusterClass read from the management cluster: what its patches say, learnt as for a workspace class. */
export interface LiveClusterClass {
  namespace: string;
  name: string;
  variables: TopologyVariables;
}

/**
 * A ClusterClass as the API serves it (v1beta1 or v1beta2: `spec.patches` has the same shape in both).
 * Its JSON is YAML, so the class is read by the same `learn` as a workspace file's, templates and all.
 */
export function decodeClusterClass(raw: unknown): LiveClusterClass | undefined {
  const meta = (raw as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata;
  if (typeof meta?.name !== 'string') return undefined;
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : 'default';
  const source = new ChunkSource(`cluster:ClusterClass/${namespace}/${meta.name}`, JSON.stringify(raw), 0);
  const cc = parseDocuments(source)
    .filter((d) => d.errors.length === 0)
    .flatMap(objectsOf)
    .find((o) => o.group === 'cluster.x-k8s.io' && o.kind === 'ClusterClass');
  return cc && { namespace, name: meta.name, variables: classVariables(cc) };
}

/** The configured names plus what the class teaches (the configured names are the fallback without a class). */
export function mergeVariables(a: TopologyVariables, b: TopologyVariables | undefined): TopologyVariables {
  if (!b || (b.vip.length === 0 && b.kubeVipManifest.length === 0)) return a;
  return { vip: [...new Set([...a.vip, ...b.vip])], kubeVipManifest: [...new Set([...a.kubeVipManifest, ...b.kubeVipManifest])] };
}
