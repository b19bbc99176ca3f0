// Tree data for the client: pools with usage, LoadBalancer Services, kube-vip ranges (places as engine Locations).
import { canonical, parseAddr } from '../ip/addr';
import { kubeVipEntryUsage, kubeVipUsage, serviceDraw } from './kubeVipUsage';
import { activeKubeVip, mayShare } from '../model/kubeVipConfig';
import { reservedAddresses } from '../ip/pool';
import type { PoolInfo } from '../model/types';
import type { Analysis } from '../workspace';
import { ipPlaces } from '../model/vipPlaces';
import { poolUsage } from './usage';
import { poolRoles, rankPools } from '../ranking';
import { type PoolMapData, poolMap } from './poolMap';
import type { Location } from '../types';
import type { AllocationView, KubeVipRangeView, PoolBlockView, PoolView, ServiceView } from './viewTypes';
import { findBlock, groupAddresses, shallow } from './addressGroups';

export function poolId(p: { kind: string; namespace?: string; name: string }): string {
  return `${p.kind}/${p.namespace ?? ''}/${p.name}`;
}

/** Just the place (an origin carries more: its entries' spans). */
const at = (l: Location | undefined): Location | undefined => l && { uri: l.uri, span: l.span };

export function poolView(p: PoolInfo, a: Analysis, usage = poolUsage(p, a.inventory, a.clusters)): PoolView {
  const excluded = p.analysis.excluded
    .intersect(p.analysis.addresses)
    .describe(20)
    .map((address) => ({ address, reason: 'excluded' as const }));
  return {
    id: poolId(p),
    kind: p.kind,
    name: p.name,
    namespace: p.namespace,
    source: p.origin ? 'workspace' : 'live',
    addresses: p.spec.addresses,
    prefix: p.spec.prefix,
    gateway: p.spec.gateway,
    total: usage.status.total.toString(),
    free: (usage.status.free < 0n ? 0n : usage.status.free).toString(),
    used: String(usage.status.used),
    firstFree: usage.firstFree,
    ...allocationsOf(allocationViews(usage)),
    freeRanges: usage.freeRanges,
    reserved: [...reservedAddresses(p.analysis, p.spec), ...excluded],
    warnings: [...p.analysis.errors, ...p.analysis.warnings].map((e) => `${e.field}: ${e.message}`),
    location: at(p.origin),
    role: poolRoles(a.inventory, a.clusters).get(p),
  };
}

/** In no particular order: a short list is sorted by allocationsOf, a long one by its grouping. */
function allocationViews(usage: ReturnType<typeof poolUsage>): AllocationView[] {
  return usage.users.map((u) => ({ address: u.address, name: u.name, namespace: u.namespace, claim: u.claim, cluster: u.cluster, location: at(u.location) }));
}

/** A long list goes out as CIDR blocks with counts (the tree shows blocks, PoolBlockRequest their contents), a short one flat. */
function allocationsOf(list: AllocationView[]): Pick<PoolView, 'allocations' | 'allocationBlocks'> {
  const blocks = groupAddresses(list);
  return blocks ? { allocations: [], allocationBlocks: shallow(blocks) } : { allocations: byAddress(list) };
}

/** The contents of one allocation block of pool `id`, or undefined when there is no such pool or block (any more). */
export function poolBlockView(a: Analysis, id: string, label: string): PoolBlockView | undefined {
  const pool = a.inventory.pools.find((p) => poolId(p) === id);
  const blocks = pool && groupAddresses(allocationViews(poolUsage(pool, a.inventory, a.clusters)));
  const block = blocks && findBlock(blocks, label);
  if (!block) return undefined;
  return block.blocks ? { blocks: shallow(block.blocks) } : { allocations: block.items ?? [] };
}

export function poolMapView(a: Analysis, id: string, zoom?: string): PoolMapData | undefined {
  const pool = a.inventory.pools.find((p) => poolId(p) === id);
  return pool && poolMap(pool, a, zoom);
}

/** The live pools `cluster` may allocate from, in the order of `rankPools`. */
export function rankedPoolViews(a: Analysis, cluster: { name: string; namespace: string }, defaultPool: string): PoolView[] {
  const known = a.clusters.find((c) => c.name === cluster.name && c.namespace === cluster.namespace) ?? cluster;
  return rankPools(a, known, { defaultPool, from: 'live' }).map((r) => ({ ...poolView(r.pool, a, r.usage), preferred: r.preferred }));
}

/** Numerically: 10.0.0.9 before 10.0.0.10 (a text sort gets that wrong). */
function byAddress<T extends { address: string }>(list: T[]): T[] {
  // Each address parsed once, not once per comparison: 65,000 allocations sort in milliseconds.
  const value = (ip: string) => {
    const p = parseAddr(ip);
    return p.ok ? p.value.value : -1n;
  };
  const keyed = list.map((item) => ({ item, v: value(item.address) }));
  return keyed.sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : 0)).map((k) => k.item);
}

export function serviceViews(a: Analysis): ServiceView[] {
  const vips = a.clusters.flatMap((c) => ipPlaces(c).map((p) => ({ ip: p.ip, cluster: `${c.namespace}/${c.name}` })));
  const config = activeKubeVip(a.inventory.kubeVipConfigs);
  return a.inventory.services.map((s) => {
    const ips = s.ips.map((x) => x.value);
    const draw = serviceDraw(a.inventory, s);
    const conflicts = new Set<string>();
    for (const ip of ips) {
      const c = canonical(ip);
      const parsed = parseAddr(ip);
      for (const v of vips) if (v.ip === c) conflicts.add(`${ip} is also the VIP of cluster ${v.cluster}`);
      for (const other of a.inventory.services) {
        if (other === s || !other.ips.some((x) => canonical(x.value) === c)) continue;
        if (parsed.ok && mayShare(config, { service: s, addr: parsed.value }, other)) continue; // allow-share, distinct ports
        conflicts.add(`${ip} is also used by Service ${other.namespace}/${other.name}`);
      }
    }
    return {
      namespace: s.namespace,
      name: s.name,
      ips,
      range: draw?.pool,
      inRange: draw && (s.requested?.length ? draw.inside : undefined),
      conflicts: [...conflicts],
      location: at(s.origin),
    };
  });
}

export function kubeVipRangeViews(a: Analysis): KubeVipRangeView[] {
  const config = activeKubeVip(a.inventory.kubeVipConfigs);
  const errors = new Map(kubeVipUsage(a.inventory).map((u) => [u.key, u.errors[0]]));
  return a.inventory.kubeVipRanges.map((r) => {
    const index = config?.values.get(r.key)?.entries.findIndex((e) => e.text === r.entry) ?? -1;
    const u = r.configMapNamespace === config?.namespace ? kubeVipEntryUsage(a.inventory, r.key, index) : undefined;
    return {
      configMap: `${r.configMapNamespace}/kubevip`,
      key: r.key,
      scope: r.scope,
      entry: r.entry,
      size: (u?.total ?? 0n).toString(),
      used: String(u?.used ?? 0),
      free: u && u.free.toString(),
      firstFree: u?.firstFree,
      error: errors.get(r.key),
      users: (u?.users ?? []).map((s) => `${s.namespace}/${s.name}`),
      location: at(r.site),
    };
  });
}
