// kube-vip shipped by a ClusterResourceSet: a DaemonSet in the data of a ConfigMap or Secret that
// the set applies to every Cluster of its namespace its `clusterSelector.matchLabels` selects.
import { isMap, isScalar, type Scalar } from 'yaml';
import { mapAt, mapItems, seqAt, stringAt } from '../yaml/documents';
import { type SourceText, base64Source, scalarSource } from '../yaml/source';
import { GROUPS, type K8sObject } from './kinds';
import { kubeVipPlaces, looksLikeKubeVip } from './kubeVip';
import type { VipPlace } from './types';

interface Shipped {
  /** The documents read (a changed one makes the cluster again); null for a resource not found. */
  deps: unknown[];
  /** The scalars holding manifests, with where they come from. */
  texts: { text: () => SourceText | undefined; key: Scalar; where: string }[];
}

const isResourceSet = (o: K8sObject) => o.group === `addons.${GROUPS.cluster}` && o.kind === 'ClusterResourceSet';

/** A selector selects when it has labels and the Cluster carries each of them (an empty selector selects none). */
function selects(set: K8sObject, cluster: K8sObject): boolean {
  const wanted = mapAt(set.root, ['spec', 'clusterSelector', 'matchLabels']);
  if (!wanted || wanted.items.length === 0) return false;
  const labels = mapAt(cluster.root, ['metadata', 'labels']);
  return wanted.items.every((p) => isScalar(p.key) && isScalar(p.value) && stringAt(labels, [String(p.key.value)]) === String(p.value.value));
}

export function resourceSetsOf(objects: K8sObject[]) {
  const sets = objects.filter(isResourceSet);
  const resources = new Map<string, K8sObject>();
  if (sets.length)
    for (const o of objects) if (o.group === '' && (o.kind === 'ConfigMap' || o.kind === 'Secret')) resources.set(`${o.kind}/${o.namespace}/${o.name}`, o);
  return {
    forCluster(cluster: K8sObject): Shipped {
      const shipped: Shipped = { deps: [], texts: [] };
      for (const set of sets) {
        if (set.namespace !== cluster.namespace || !selects(set, cluster)) continue;
        shipped.deps.push(set.doc);
        for (const { map: ref } of mapItems(seqAt(set.root, ['spec', 'resources']))) {
          const kind = stringAt(ref, ['kind']);
          const res = resources.get(`${kind}/${set.namespace}/${stringAt(ref, ['name'])}`);
          shipped.deps.push(res?.doc ?? null);
          if (res) shipped.texts.push(...manifests(res, `${res.kind} ${res.name}, applied by ClusterResourceSet ${set.name}`));
        }
      }
      return shipped;
    },
  };
}

function manifests(res: K8sObject, where: string): Shipped['texts'] {
  const out: Shipped['texts'] = [];
  const source = res.doc.source;
  for (const field of res.kind === 'Secret' ? ['stringData', 'data'] : ['data']) {
    const map = mapAt(res.root, [field]);
    if (!isMap(map)) continue;
    for (const pair of map.items) {
      const node = pair.value;
      if (!isScalar(node) || typeof node.value !== 'string' || !isScalar(pair.key)) continue;
      const base64 = field === 'data' && res.kind === 'Secret';
      out.push({
        key: node,
        where: `${where} key ${String(pair.key.value)}${base64 ? ' (base64)' : ''}`,
        text: () => (base64 ? base64Source(source, node) : scalarSource(source, node)),
      });
    }
  }
  return out;
}

/** The kube-vip places of what the sets ship to one cluster. */
export function resourceSetPlaces(shipped: Shipped): VipPlace[] {
  return shipped.texts.flatMap(({ text, key, where }) => {
    const t = text();
    return t && looksLikeKubeVip(undefined, t.text) ? kubeVipPlaces(t, where, key) : [];
  });
}
