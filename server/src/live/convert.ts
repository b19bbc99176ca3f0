// Raw API objects → the engine's Inventory, through the engine's one decoder (engine/model/decode.ts).
import {
  CLUSTER_NAME_LABEL,
  decodeAddress,
  decodeClaim,
  decodeKubeVipConfig,
  decodePool,
  decodeService,
  decodeCiliumPool,
  decodeExternalPool,
  decodeL2Advertisement,
  decodeMetal3Pool,
  decodeMetalLbPool,
  decodePrefixPool,
  decodeProxmoxRanges,
  decodeRollout,
  EXTERNAL_POOL_KINDS,
  type ExternalPoolKind,
  decodeMachine,
  decodeClusterClass,
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
  const kubeVipConfigs = list('ConfigMap').map((o) => decoded(o, decodeKubeVipConfig));
  const pool = (o: Any, kind: 'InClusterIPPool' | 'GlobalInClusterIPPool') =>
    decoded(o, (x) => {
      const p = decodePool(x, kind);
      return from ? { ...p, owner: ownerOf(x, kind, from) } : p;
    });
  const sources = sourcesOf(list);
  return {
    source: 'live',
    pools: [
      ...list('InClusterIPPool').map((o) => pool(o, 'InClusterIPPool')),
      ...list('GlobalInClusterIPPool').map((o) => pool(o, 'GlobalInClusterIPPool')),
      ...sources.pools,
    ],
    claims: list('IPAddressClaim').map((o) => decoded(o, decodeClaim)),
    addresses: list('IPAddress').map((o) => decoded(o, (x) => (from ? { ...decodeAddress(x), owner: ownerOf(x, 'IPAddress', from) } : decodeAddress(x)))),
    services: list('Service').flatMap((o) => decoded(o, decodeService) ?? []),
    kubeVipRanges: kubeVipConfigs.flatMap(rangesOf),
    kubeVipConfigs,
    endpoints,
    nodeAddresses: from ? list('Machine').flatMap((o) => decodeMachine(o, from)) : [],
    estate: [],
    lbPools: sources.lbPools,
    l2Advertisements: sources.l2Advertisements,
    rollouts: sources.rollouts,
    clusterClasses: list('ClusterClass').flatMap((o) => decoded(o, decodeClusterClass) ?? []),
  };
}

/** The other address sources' share of the inventory. */
function sourcesOf(list: (k: string) => Any[]): Pick<Inventory, 'lbPools' | 'l2Advertisements' | 'rollouts'> & { pools: Inventory['pools'] } {
  return {
    pools: [
      ...list('IPPool').map((o) => decoded(o, decodeMetal3Pool)),
      ...list('InClusterPrefixPool').map((o) => decoded(o, (x) => decodePrefixPool(x, 'InClusterPrefixPool'))),
      ...list('GlobalInClusterPrefixPool').map((o) => decoded(o, (x) => decodePrefixPool(x, 'GlobalInClusterPrefixPool'))),
      ...Object.keys(EXTERNAL_POOL_KINDS).flatMap((k) => list(k).map((o) => decoded(o, (x) => decodeExternalPool(x, k as ExternalPoolKind)))),
      ...list('ProxmoxCluster').flatMap((o) => decoded(o, decodeProxmoxRanges)),
    ],
    lbPools: [...list('IPAddressPool').map((o) => decoded(o, decodeMetalLbPool)), ...list('CiliumLoadBalancerIPPool').map((o) => decoded(o, decodeCiliumPool))],
    l2Advertisements: list('L2Advertisement').map((o) => decoded(o, decodeL2Advertisement)),
    rollouts: [
      ...list('KubeadmControlPlane').map((o) => decoded(o, (x) => decodeRollout(x, 'KubeadmControlPlane'))),
      ...list('MachineDeployment').map((o) => decoded(o, (x) => decodeRollout(x, 'MachineDeployment'))),
    ],
  };
}
