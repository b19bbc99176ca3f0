// Raw API objects → the engine's Inventory, through the engine's one decoder (engine/model/decode.ts).
import {
  CLUSTER_NAME_LABEL,
  decodeAddress,
  decodeClaim,
  decodeKubeVipConfig,
  decodePool,
  decodeService,
  rangesOf,
  type Inventory,
  type KnownEndpoint,
} from '../engine/index';
import type { Obj } from './watcher';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const meta = (o: Any) => (o.metadata ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function endpointFromApi(o: Any, kind: string): KnownEndpoint | undefined {
  const host = str(o.spec?.controlPlaneEndpoint?.host);
  if (!host) return undefined;
  // An infrastructure cluster belongs to the Cluster named by its owner reference or label.
  const owner = (meta(o) as Any).ownerReferences?.find((r: Any) => r.kind === 'Cluster')?.name ?? meta(o).labels?.[CLUSTER_NAME_LABEL] ?? meta(o).name;
  return { clusterName: kind === 'Cluster' ? (meta(o).name ?? '') : owner, namespace: meta(o).namespace ?? 'default', host, kind };
}

/**
 * Each raw object's decoding, kept while the watcher holds that object: a watch event replaces one object,
 * so a kind's share of the inventory is made again from the others' decodings, not by decoding 100,000 again.
 */
const decodings = new WeakMap<object, unknown>();
function decoded<T>(o: Any, decode: (o: Any) => T): T {
  let v = decodings.get(o) as T | undefined;
  if (v === undefined && !decodings.has(o)) decodings.set(o, (v = decode(o)));
  return v as T;
}

export function toInventory(byKind: Map<string, Obj[]>): Inventory {
  const list = (k: string) => (byKind.get(k) ?? []) as Any[];
  const endpoints: KnownEndpoint[] = [];
  const seen = new Set<string>();
  for (const kind of ['Cluster', 'VSphereCluster']) {
    for (const o of list(kind)) {
      const e = endpointFromApi(o, kind);
      const id = e && `${e.namespace}/${e.clusterName}/${e.host}`;
      if (e && !seen.has(id!)) {
        seen.add(id!);
        endpoints.push(e);
      }
    }
  }
  const kubeVipConfigs = list('ConfigMap').map((o) => decoded(o, decodeKubeVipConfig));
  return {
    source: 'live',
    pools: [
      ...list('InClusterIPPool').map((o) => decoded(o, (x) => decodePool(x, 'InClusterIPPool'))),
      ...list('GlobalInClusterIPPool').map((o) => decoded(o, (x) => decodePool(x, 'GlobalInClusterIPPool'))),
    ],
    claims: list('IPAddressClaim').map((o) => decoded(o, decodeClaim)),
    addresses: list('IPAddress').map((o) => decoded(o, decodeAddress)),
    services: list('Service').flatMap((o) => decoded(o, decodeService) ?? []),
    kubeVipRanges: kubeVipConfigs.flatMap(rangesOf),
    kubeVipConfigs,
    endpoints,
  };
}
