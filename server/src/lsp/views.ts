// Tree data for the client: pools with usage, LoadBalancer Services, kube-vip ranges.
import { canonical, parseAddr } from '../engine/ip/addr';
import { kubeVipEntryUsage, kubeVipUsage, serviceDraw } from '../engine/kubeVipUsage';
import { activeKubeVip } from '../engine/model/kubeVipConfig';
import { mayShare } from '../engine/rules/lbIpConflict';
import { reservedAddresses } from '../engine/ip/pool';
import type { Location } from '../engine/types';
import type { PoolInfo } from '../engine/model/types';
import type { Analysis } from '../engine/workspace';
import { ipPlaces } from '../engine/rules/context';
import { poolUsage } from '../engine/usage';
import { poolRoles, rankPools } from '../engine/ranking';
import { type PoolMapData, poolMap } from '../engine/poolMap';
import type { AllocationView, KubeVipRangeView, PoolBlockResult, PoolView, ServiceView, WireLocation } from '../protocol';
import { findBlock, groupAddresses, shallow } from '../engine/addressGroups';
import type { Positions } from './positions';

export function poolId(p: { kind: string; namespace?: string; name: string }): string {
  return `${p.kind}/${p.namespace ?? ''}/${p.name}`;
}

export function wire(positions: Positions, at: Location | undefined): WireLocation | undefined {
  return at ? { uri: at.uri, range: positions.range(at.uri, at.span) } : undefined;
}

export function poolView(p: PoolInfo, a: Analysis, positions: Positions, usage = poolUsage(p, a.inventory, a.clusters)): PoolView {
  const excluded = p.analysis.excluded.intersect(p.analysis.addresses).describe(20).map((address) => ({ address, reason: 'excluded' as const }));
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
    ...allocationsOf(allocationViews(usage, positions)),
    freeRanges: usage.freeRanges,
    reserved: [...reservedAddresses(p.analysis, p.spec), ...excluded],
    warnings: [...p.analysis.errors, ...p.analysis.warnings].map((e) => `${e.field}: ${e.message}`),
    location: wire(positions, p.origin),
    role: poolRoles(a.inventory, a.clusters).get(p),
  };
}

/** In no particular order: a short list is sorted by allocationsOf, a long one by its grouping. */
function allocationViews(usage: ReturnType<typeof poolUsage>, positions: Positions): AllocationView[] {
  return usage.users.map((u) => ({ address: u.address, name: u.name, namespace: u.namespace, claim: u.claim, cluster: u.cluster, location: wire(positions, u.location) }));
}

/** A long list goes out as CIDR blocks with counts (the tree shows blocks, PoolBlockRequest their contents), a short one flat. */
function allocationsOf(list: AllocationView[]): Pick<PoolView, 'allocations' | 'allocationBlocks'> {
  const blocks = groupAddresses(list);
  return blocks ? { allocations: [], allocationBlocks: shallow(blocks) } : { allocations: byAddress(list) };
}

/** The contents of one allocation block of pool `id`, or undefined when there is no such pool or block (any more). */
export function poolBlockView(a: Analysis, id: string, label: string, positions: Positions): PoolBlockResult | undefined {
  const pool = a.inventory.pools.find((p) => poolId(p) === id);
  const blocks = pool && groupAddresses(allocationViews(poolUsage(pool, a.inventory, a.clusters), positions));
  const block = blocks && findBlock(blocks, label);
  if (!block) return undefined;
  return block.blocks ? { blocks: shallow(block.blocks) } : { allocations: block.items ?? [] };
}

export function poolMapView(a: Analysis, id: string, zoom?: string): PoolMapData | undefined {
  const pool = a.inventory.pools.find((p) => poolId(p) === id);
  return pool && poolMap(pool, a, zoom);
}

/** The live pools `cluster` may allocate from, in the order of `rankPools`. */
export function rankedPoolViews(a: Analysis, cluster: { name: string; namespace: string }, defaultPool: string, positions: Positions): PoolView[] {
  const known = a.clusters.find((c) => c.name === cluster.name && c.namespace === cluster.namespace) ?? cluster;
  return rankPools(a, known, { defaultPool, from: 'live' }).map((r) => ({ ...poolView(r.pool, a, positions, r.usage), preferred: r.preferred }));
}

/** Numerically: 10.0.0.9 before 10.0.0.10 (a text sort gets that wrong). */
function byAddress<T extends { address: string }>(list: T[]): T[] {
  // Each address parsed once, not once per comparison: 65,000 allocations sort in milliseconds.
  const value = (ip: string) => { const p = parseAddr(ip); return p.ok ? p.value.value : -1n; };
  const keyed = list.map((item) => ({ item, v: value(item.address) }));
  return keyed.sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : 0)).map((k) => k.item);
}

export function serviceViews(a: Analysis, positions: Positions): ServiceView[] {
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
    return { namespace: s.namespace, name: s.name, ips, range: draw?.pool, inRange: draw && (s.requested?.length ? draw.inside : undefined), conflicts: [...conflicts], location: wire(positions, s.origin) };
  });
}

export function kubeVipRangeViews(a: Analysis, positions: Positions): KubeVipRangeView[] {
  const config = activeKubeVip(a.inventory.kubeVipConfigs);
  const errors = new Map(kubeVipUsage(a.inventory).map((u) => [u.key, u.errors[0]]));
  return a.inventory.kubeVipRanges.map((r) => {
    const index = config?.values.get(r.key)?.entries.findIndex((e) => e.text === r.entry) ?? -1;
    const u = r.configMapNamespace === config?.namespace ? kubeVipEntryUsage(a.inventory, r.key, index) : undefined;
    return {
      configMap: `${r.configMapNamespace}/kubevip`, key: r.key, scope: r.scope, entry: r.entry,
      size: (u?.total ?? 0n).toString(), used: String(u?.used ?? 0), free: u && u.free.toString(), firstFree: u?.firstFree, error: errors.get(r.key),
      users: (u?.users ?? []).map((s) => `${s.namespace}/${s.name}`), location: wire(positions, r.site),
    };
  });
}
