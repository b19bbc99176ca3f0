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
  const kubeVipConfigs = list('ConfigMap').map((o) => decodeKubeVipConfig(o));
  const sources = sourcesOf(list);
  return {
    source: 'live',
    pools: [
      ...list('InClusterIPPool').map((o) => decodePool(o, 'InClusterIPPool')),
      ...list('GlobalInClusterIPPool').map((o) => decodePool(o, 'GlobalInClusterIPPool')),
      ...sources.pools,
    ],
    claims: list('IPAddressClaim').map((o) => decodeClaim(o)),
    addresses: list('IPAddress').map((o) => decodeAddress(o)),
    services: list('Service').flatMap((o) => decodeService(o) ?? []),
    kubeVipRanges: kubeVipConfigs.flatMap(rangesOf),
    kubeVipConfigs,
    endpoints,
    lbPools: sources.lbPools,
    l2Advertisements: sources.l2Advertisements,
    rollouts: sources.rollouts,
  };
}

/** The other address sources' share of the inventory. */
function sourcesOf(list: (k: string) => Any[]): Pick<Inventory, 'lbPools' | 'l2Advertisements' | 'rollouts'> & { pools: Inventory['pools'] } {
  return {
    pools: [
      ...list('IPPool').map((o) => decodeMetal3Pool(o)),
      ...list('InClusterPrefixPool').map((o) => decodePrefixPool(o, 'InClusterPrefixPool')),
      ...list('GlobalInClusterPrefixPool').map((o) => decodePrefixPool(o, 'GlobalInClusterPrefixPool')),
      ...Object.keys(EXTERNAL_POOL_KINDS).flatMap((k) => list(k).map((o) => decodeExternalPool(o, k as ExternalPoolKind))),
      ...list('ProxmoxCluster').flatMap((o) => decodeProxmoxRanges(o)),
    ],
    lbPools: [...list('IPAddressPool').map((o) => decodeMetalLbPool(o)), ...list('CiliumLoadBalancerIPPool').map((o) => decodeCiliumPool(o))],
    l2Advertisements: list('L2Advertisement').map((o) => decodeL2Advertisement(o)),
    rollouts: [
      ...list('KubeadmControlPlane').map((o) => decodeRollout(o, 'KubeadmControlPlane')),
      ...list('MachineDeployment').map((o) => decodeRollout(o, 'MachineDeployment')),
    ],
  };
}
