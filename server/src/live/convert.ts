// Raw API objects → the engine's Inventory.
import { analyzePool, type PoolSpec, convertV1alpha1, CLUSTER_NAME_LABEL, LB_IPS_ANNOTATION, type KubeVipConfig, kubeVipConfig, rangesOf, type AddressInfo, type ClaimInfo, type Inventory, type KnownEndpoint, type LbServiceInfo, type PoolInfo, type PoolKind } from '../engine/index';
import type { Obj } from './watcher';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const meta = (o: Any) => (o.metadata ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function poolFromApi(o: Any, kind: PoolKind): PoolInfo {
  const s = (o.spec ?? {}) as Any;
  const listed: string[] = Array.isArray(s.addresses) ? s.addresses.filter((x: unknown) => typeof x === 'string') : [];
  const v1alpha1 = String(o.apiVersion ?? '').endsWith('/v1alpha1');
  const { addresses, prefix } = v1alpha1
    ? convertV1alpha1({ addresses: listed, prefix: typeof s.prefix === 'number' ? s.prefix : undefined, subnet: str(s.subnet), start: str(s.start), end: str(s.end) })
    : { addresses: listed, prefix: typeof s.prefix === 'number' ? s.prefix : 0 };
  const spec: PoolSpec = {
    addresses,
    prefix: prefix ?? 0,
    gateway: str(s.gateway),
    excludedAddresses: Array.isArray(s.excludedAddresses) ? s.excludedAddresses : [],
    allocateReservedIPAddresses: s.allocateReservedIPAddresses === true,
  };
  return { kind, name: meta(o).name ?? '', namespace: kind === 'GlobalInClusterIPPool' ? undefined : meta(o).namespace, spec, analysis: analyzePool(spec) };
}

const poolRef = (r: Any | undefined) => ({ apiGroup: str(r?.apiGroup), kind: str(r?.kind) ?? '', name: str(r?.name) ?? '' });

export function claimFromApi(o: Any): ClaimInfo {
  return { name: meta(o).name ?? '', namespace: meta(o).namespace ?? 'default', poolRef: poolRef(o.spec?.poolRef), clusterName: str(o.spec?.clusterName) ?? meta(o).labels?.[CLUSTER_NAME_LABEL] };
}

export function addressFromApi(o: Any): AddressInfo {
  return {
    name: meta(o).name ?? '', namespace: meta(o).namespace ?? 'default', address: str(o.spec?.address) ?? '', prefix: o.spec?.prefix, gateway: str(o.spec?.gateway),
    poolRef: poolRef(o.spec?.poolRef), claimName: str(o.spec?.claimRef?.name) ?? meta(o).name ?? '', clusterName: meta(o).labels?.[CLUSTER_NAME_LABEL],
  };
}

export function serviceFromApi(o: Any): LbServiceInfo | undefined {
  if (o.spec?.type !== 'LoadBalancer') return undefined;
  const annotation = (meta(o).annotations?.[LB_IPS_ANNOTATION] ?? '').split(',').filter(Boolean);
  const specIp = str(o.spec?.loadBalancerIP) ? [o.spec.loadBalancerIP as string] : [];
  const ips = new Set<string>([...annotation, ...specIp]);
  for (const ing of o.status?.loadBalancer?.ingress ?? []) if (ing?.ip) ips.add(ing.ip);
  const ports = (Array.isArray(o.spec?.ports) ? o.spec.ports : []).flatMap((p: Any) => (Number.isInteger(p?.port) ? [p.port as number] : []));
  const requested = (annotation.length ? annotation : specIp).map((value) => ({ value }));
  return { name: meta(o).name ?? '', namespace: meta(o).namespace ?? 'default', ips: [...ips].map((value) => ({ value })), requested, ports };
}

export function kubeVipConfigFromApi(o: Any): KubeVipConfig {
  const data = Object.entries((o.data ?? {}) as Record<string, unknown>).flatMap(([key, value]) => (typeof value === 'string' ? [{ key, value }] : []));
  return kubeVipConfig(meta(o).namespace ?? 'kube-system', data);
}

export function endpointFromApi(o: Any, kind: string): KnownEndpoint | undefined {
  const host = str(o.spec?.controlPlaneEndpoint?.host);
  if (!host) return undefined;
  // An infrastructure cluster belongs to the Cluster named by its owner reference or label.
  const owner = (meta(o) as Any).ownerReferences?.find((r: Any) => r.kind === 'Cluster')?.name ?? meta(o).labels?.[CLUSTER_NAME_LABEL] ?? meta(o).name;
  return { clusterName: kind === 'Cluster' ? meta(o).name ?? '' : owner, namespace: meta(o).namespace ?? 'default', host, kind };
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
  const kubeVipConfigs = list('ConfigMap').map(kubeVipConfigFromApi);
  return {
    source: 'live',
    pools: [...list('InClusterIPPool').map((o) => poolFromApi(o, 'InClusterIPPool')), ...list('GlobalInClusterIPPool').map((o) => poolFromApi(o, 'GlobalInClusterIPPool'))],
    claims: list('IPAddressClaim').map(claimFromApi),
    addresses: list('IPAddress').map(addressFromApi),
    services: list('Service').flatMap((o) => serviceFromApi(o) ?? []),
    kubeVipRanges: kubeVipConfigs.flatMap(rangesOf),
    kubeVipConfigs,
    endpoints,
  };
}
