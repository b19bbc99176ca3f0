// Decoders of the other address sources (issue 23), over plain objects like decode.ts: Metal3's
// IPPool, CAIP's prefix pools, the external claim-contract pools, ProxmoxCluster node ranges, MetalLB
// and Cilium LB pools, L2Advertisements, and the rollouts (KCP, MachineDeployment) a capacity forecast reads.
import { analyzePool, type PoolSpec } from '../ip/pool';
import { analyzeMetal3Pool, analyzePrefixPool, externalAnalysis } from '../ip/sources';
import type { Location, Span } from '../types';
import type { Path } from '../yaml/documents';
import { type Plain, type Positions, list, metaOf, num, obj, place, text, texts } from './decode';
import {
  EXTERNAL_POOL_KINDS,
  type ExternalPoolKind,
  type L2AdvertisementInfo,
  type LabelSelector,
  type LbPoolInfo,
  type PoolInfo,
  type PoolOrigin,
  type RolloutInfo,
} from './types';

export const METAL3_GROUP = 'ipam.metal3.io';

function origin(at: Positions, addresses: Span[], excluded: Span[], fields: Record<string, Span | undefined>, gateway?: Path): PoolOrigin {
  return { ...at.anchor, addresses, excludedAddresses: excluded, gateway: gateway && at.span(gateway), fields };
}

/** A map of strings (`preAllocations`, `status.allocations`), as {name, address}. */
const pairs = (v: unknown) => Object.entries(obj(v)).flatMap(([name, a]) => (text(a) ? [{ name, address: text(a)! }] : []));

/** Metal3 `IPPool` (ipam.metal3.io): `pools[]`, and what `preAllocations` and the status hold. */
export function decodeMetal3Pool(o: unknown, at?: Positions): PoolInfo {
  const s = obj(obj(o).spec);
  const status = obj(obj(o).status);
  const entries = list(s.pools).map((e) => ({ start: text(obj(e).start), end: text(obj(e).end), subnet: text(obj(e).subnet) }));
  const gateway = text(s.gateway) ?? entries.map((_, i) => text(obj(list(s.pools)[i]).gateway)).find(Boolean);
  const spec: PoolSpec = {
    addresses: entries.map((e) => (e.start ? `${e.start}-${e.end ?? e.start}` : (e.subnet ?? ''))),
    prefix: num(s.prefix),
    gateway,
  };
  const m = metaOf(o);
  const held = [...pairs(s.preAllocations), ...pairs(status.allocations), ...pairs(status.indexes)];
  const pool: PoolInfo = {
    kind: 'IPPool',
    name: m.name,
    namespace: m.namespace,
    spec,
    analysis: analyzeMetal3Pool(entries, gateway),
    source: {
      group: METAL3_GROUP,
      held: [...new Map(held.map((h) => [h.address, h])).values()],
      ...(text(s.clusterName) ? { cluster: text(s.clusterName) } : {}),
    },
  };
  if (at) {
    const spans = entries.flatMap((e, i) => at.span(['spec', 'pools', i, e.start ? 'start' : 'subnet']) ?? []);
    pool.origin = origin(at, spans, [], {}, ['spec', 'gateway']);
  }
  return pool;
}

/** `InClusterPrefixPool` / `GlobalInClusterPrefixPool` (CAIP v1.1). */
export function decodePrefixPool(o: unknown, kind: 'InClusterPrefixPool' | 'GlobalInClusterPrefixPool', at?: Positions): PoolInfo {
  const s = obj(obj(o).spec);
  const prefixes = texts(s.prefixes, ['spec', 'prefixes'], at);
  const excluded = texts(s.excludedPrefixes, ['spec', 'excludedPrefixes'], at);
  const length = num(s.allocationPrefixLength);
  const spec: PoolSpec = { addresses: prefixes.values, prefix: length ?? 64, gateway: text(s.gateway), excludedAddresses: excluded.values };
  const m = metaOf(o);
  const pool: PoolInfo = {
    kind,
    name: m.name,
    namespace: kind === 'GlobalInClusterPrefixPool' ? undefined : m.namespace,
    spec,
    analysis: analyzePrefixPool({ prefixes: prefixes.values, allocationPrefixLength: length, gateway: spec.gateway, excludedPrefixes: excluded.values }),
    source: { allocationPrefixLength: length ?? 64 },
  };
  if (at)
    pool.origin = origin(at, prefixes.spans, excluded.spans, { 'spec.allocationPrefixLength': at.span(['spec', 'allocationPrefixLength']) }, [
      'spec',
      'gateway',
    ]);
  return pool;
}

/** A claim-contract pool whose ranges an external IPAM keeps: known by name, counted by its IPAddresses. */
export function decodeExternalPool(o: unknown, kind: ExternalPoolKind, at?: Positions): PoolInfo {
  const m = metaOf(o);
  const pool: PoolInfo = {
    kind,
    name: m.name,
    namespace: kind.startsWith('Global') ? undefined : m.namespace,
    spec: { addresses: [] },
    analysis: externalAnalysis(),
    source: { managedBy: EXTERNAL_POOL_KINDS[kind] },
  };
  if (at) pool.origin = origin(at, [], [], {});
  return pool;
}

/** ProxmoxCluster `ipv4Config` / `ipv6Config`: the nodes' range (CAPMOX makes an InClusterIPPool of it, so CAIP's semantics hold). */
export function decodeProxmoxRanges(o: unknown, at?: Positions): PoolInfo[] {
  const s = obj(obj(o).spec);
  const m = metaOf(o);
  return (['ipv4Config', 'ipv6Config'] as const).flatMap((key) => {
    if (!Object.hasOwn(s, key)) return [];
    const c = obj(s[key]);
    const addresses = texts(c.addresses, ['spec', key, 'addresses'], at);
    const spec: PoolSpec = { addresses: addresses.values, prefix: num(c.prefix) ?? (at ? undefined : 0), gateway: text(c.gateway) };
    const pool: PoolInfo = {
      kind: 'ProxmoxCluster',
      name: `${m.name} ${key}`,
      namespace: m.namespace,
      spec,
      analysis: analyzePool(spec),
      source: { nodeRange: true, cluster: m.name },
    };
    if (at) pool.origin = { ...origin(at, addresses.spans, [], {}, ['spec', key, 'gateway']), prefix: at.span(['spec', key, 'prefix']) };
    return [pool];
  });
}

function selector(v: unknown): LabelSelector {
  const s = obj(v);
  const matchLabels = Object.fromEntries(Object.entries(obj(s.matchLabels)).flatMap(([k, x]) => (text(x) === undefined ? [] : [[k, text(x)!]])));
  const matchExpressions = list(s.matchExpressions).map((e) => ({
    key: text(obj(e).key) ?? '',
    operator: text(obj(e).operator) ?? '',
    values: list(obj(e).values).flatMap((x) => text(x) ?? []),
  }));
  return { matchLabels, matchExpressions };
}

/** Whether a label set satisfies a selector (In, NotIn, Exists, DoesNotExist; an empty selector matches everything). */
export function selects(sel: LabelSelector, labels: Record<string, string>): boolean {
  return (
    Object.entries(sel.matchLabels).every(([k, v]) => labels[k] === v) &&
    sel.matchExpressions.every((e) => {
      const has = Object.hasOwn(labels, e.key);
      if (e.operator === 'In') return has && e.values.includes(labels[e.key]!);
      if (e.operator === 'NotIn') return !has || !e.values.includes(labels[e.key]!);
      if (e.operator === 'Exists') return has;
      if (e.operator === 'DoesNotExist') return !has;
      return false;
    })
  );
}

const bool = (v: unknown, fallback: boolean) => (text(v) === undefined ? fallback : text(v) === 'true');

/** MetalLB `IPAddressPool` (metallb.io/v1beta1). */
export function decodeMetalLbPool(o: unknown, at?: Positions): LbPoolInfo {
  const s = obj(obj(o).spec);
  const m = metaOf(o);
  const a = obj(s.serviceAllocation);
  const entries = list(s.addresses).flatMap((x, i) => {
    const t = text(x);
    return t === undefined ? [] : [{ text: t.trim(), site: place(at, at?.span(['spec', 'addresses', i])) }];
  });
  return {
    provider: 'metallb',
    kind: 'IPAddressPool',
    name: m.name,
    namespace: m.namespace,
    entries,
    autoAssign: bool(s.autoAssign, true),
    avoidBuggyIPs: bool(s.avoidBuggyIPs, false),
    disabled: false,
    allowFirstLastIPs: true,
    namespaces: list(a.namespaces).flatMap((x) => text(x) ?? []),
    namespaceSelectors: list(a.namespaceSelectors).map(selector),
    serviceSelectors: list(a.serviceSelectors).map(selector),
    origin: at?.anchor,
  };
}

/** Cilium `CiliumLoadBalancerIPPool` (cilium.io/v2, v2alpha1): `blocks[]` as cidr or start/stop. */
export function decodeCiliumPool(o: unknown, at?: Positions): LbPoolInfo {
  const s = obj(obj(o).spec);
  const m = metaOf(o);
  const entries = list(s.blocks ?? s.cidrs).flatMap((b, i) => {
    const block = obj(b);
    const cidr = text(block.cidr);
    const start = text(block.start);
    const site = (key: string) => place(at, at?.span(['spec', s.blocks ? 'blocks' : 'cidrs', i, key]));
    if (cidr) return [{ text: cidr, site: site('cidr') }];
    if (start) return [{ text: `${start}-${text(block.stop) ?? start}`, site: site('start') }];
    return [];
  });
  // `allowFirstLastIPs: "Yes"` (a string enum; "No", the default, keeps a CIDR's first and last address back).
  const firstLast = text(s.allowFirstLastIPs);
  return {
    provider: 'cilium',
    kind: 'CiliumLoadBalancerIPPool',
    name: m.name,
    entries,
    autoAssign: true,
    avoidBuggyIPs: false,
    disabled: bool(s.disabled, false),
    allowFirstLastIPs: firstLast === 'Yes' || firstLast === 'true',
    namespaces: [],
    namespaceSelectors: [],
    serviceSelectors: Object.hasOwn(s, 'serviceSelector') ? [selector(s.serviceSelector)] : [],
    origin: at?.anchor,
  };
}

export function decodeL2Advertisement(o: unknown): L2AdvertisementInfo {
  const s = obj(obj(o).spec);
  const m = metaOf(o);
  return {
    name: m.name,
    namespace: m.namespace,
    ipAddressPools: list(s.ipAddressPools).flatMap((x) => text(x) ?? []),
    selectors: list(s.ipAddressPoolSelectors).map(selector),
  };
}

/** `maxSurge` as an absolute count: an integer, or a percentage of replicas rounded up (Kubernetes' intstr). */
function surge(v: unknown, replicas: number, fallback: number): number {
  const t = text(v);
  if (t === undefined) return fallback;
  const pct = /^(\d+)%$/.exec(t);
  if (pct) return Math.ceil((replicas * Number(pct[1])) / 100);
  const n = Number(t);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

const refOf = (v: unknown) => {
  const r = obj(v);
  return text(r.kind) && text(r.name) ? { kind: text(r.kind)!, name: text(r.name)! } : undefined;
};

/**
 * A KubeadmControlPlane or MachineDeployment, v1beta1 or v1beta2: replicas (default 1) and maxSurge
 * (default 1, CAPI's; an OnDelete MachineDeployment surges nothing; KCP's maxSurge is 0 or 1).
 */
export function decodeRollout(o: unknown, kind: RolloutInfo['kind'], at?: Positions): RolloutInfo {
  const s = obj(obj(o).spec);
  const m = metaOf(o);
  const replicas = num(s.replicas) ?? 1;
  const v1beta2 = obj(obj(s.rollout).strategy);
  let maxSurge: number;
  let template: RolloutInfo['template'];
  if (kind === 'KubeadmControlPlane') {
    const strategy = Object.keys(v1beta2).length ? v1beta2 : obj(s.rolloutStrategy);
    maxSurge = Math.min(surge(obj(strategy.rollingUpdate).maxSurge, replicas, 1), 1);
    const mt = obj(s.machineTemplate);
    template = refOf(obj(mt.spec).infrastructureRef) ?? refOf(mt.infrastructureRef);
  } else {
    const strategy = Object.keys(v1beta2).length ? v1beta2 : obj(s.strategy);
    maxSurge = text(strategy.type) === 'OnDelete' ? 0 : surge(obj(strategy.rollingUpdate).maxSurge, replicas, 1);
    template = refOf(obj(obj(s.template).spec).infrastructureRef);
  }
  const clusterName = text(s.clusterName) ?? text((m.labels as Plain)['cluster.x-k8s.io/cluster-name']);
  const out: RolloutInfo = { kind, name: m.name, namespace: m.namespace, replicas, maxSurge, template };
  if (clusterName) out.clusterName = clusterName;
  if (at) out.origin = place(at, at.span(['spec', 'replicas'])) ?? (at.anchor as Location);
  return out;
}
