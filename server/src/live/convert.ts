// Raw API objects → the engine's Inventory, through the engine's one decoder (engine/model/decode.ts).
import {
  CLUSTER_NAME_LABEL,
  decodeAddress,
  decodeClaim,
  decodeKubeVipConfig,
  decodePool,
  decodeService,
  decodeMachine,
  rangesOf,
  type Inventory,
  type KnownEndpoint,
  type Owner,
  type ReadFrom,
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

/** The management-cluster object as an owner (issue 22): which context serves it. */
function ownerOf(o: Any, kind: string, from: ReadFrom): Owner {
  const m = meta(o);
  return { managementCluster: from.managementCluster, kind, ...(m.namespace ? { namespace: m.namespace } : {}), name: m.name ?? '', source: 'management' };
}

/**
 * `from` names the management cluster (several may be connected): every pool, endpoint and Machine
 * address then carries it as its owner. `endpointKinds` are the infrastructure cluster kinds found by
 * discovery besides VSphereCluster.
 */
export function toInventory(byKind: Map<string, Obj[]>, from?: ReadFrom, endpointKinds: string[] = []): Inventory {
  const list = (k: string) => (byKind.get(k) ?? []) as Any[];
  const endpoints: KnownEndpoint[] = [];
  const seen = new Set<string>();
  for (const kind of ['Cluster', 'VSphereCluster', ...endpointKinds]) {
    for (const o of list(kind)) {
      const e = endpointFromApi(o, kind);
      const id = e && `${e.namespace}/${e.clusterName}/${e.host}`;
      if (e && !seen.has(id!)) {
        seen.add(id!);
        endpoints.push(from ? { ...e, owner: ownerOf(o, kind, from) } : e);
      }
    }
  }
  const kubeVipConfigs = list('ConfigMap').map((o) => decodeKubeVipConfig(o));
  const pool = (o: Any, kind: 'InClusterIPPool' | 'GlobalInClusterIPPool') => {
    const p = decodePool(o, kind);
    return from ? { ...p, owner: ownerOf(o, kind, from) } : p;
  };
  return {
    source: 'live',
    pools: [...list('InClusterIPPool').map((o) => pool(o, 'InClusterIPPool')), ...list('GlobalInClusterIPPool').map((o) => pool(o, 'GlobalInClusterIPPool'))],
    claims: list('IPAddressClaim').map((o) => decodeClaim(o)),
    addresses: list('IPAddress').map((o) => (from ? { ...decodeAddress(o), owner: ownerOf(o, 'IPAddress', from) } : decodeAddress(o))),
    services: list('Service').flatMap((o) => decodeService(o) ?? []),
    kubeVipRanges: kubeVipConfigs.flatMap(rangesOf),
    kubeVipConfigs,
    endpoints,
    nodeAddresses: from ? list('Machine').flatMap((o) => decodeMachine(o, from)) : [],
    estate: [],
  };
}
