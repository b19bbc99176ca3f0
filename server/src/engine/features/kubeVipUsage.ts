// kube-vip cloud provider pools as the provider counts them: total (never .0/.255), used (requested IPs
// of the Services in scope: every namespace for a `*-global` key, else the key's namespace), free and
// the address it would hand out next (search-order honoured).
import { type Addr, type Family, canonical, formatAddr, parseAddr } from '../ip/addr';
import { endsIn0Or255, handOutCount, handsOut, nextFree } from '../ip/kubeVipPool';
import { RangeSet } from '../ip/range-set';
import { type KubeVipConfig, type KubeVipValue, activeKubeVip, isPoolKey, options, poolForNamespace, poolOf } from '../model/kubeVipConfig';
import type { Inventory, LbServiceInfo } from '../model/types';

export interface KubeVipUsage {
  key: string;
  /** 'global' or the namespace the key serves. */
  scope: string;
  total: bigint;
  used: number;
  free: bigint;
  firstFree?: string;
  /** Services in scope whose requested IP lies in the counted set. */
  users: LbServiceInfo[];
  errors: string[];
}

const requested = (s: LbServiceInfo): Addr[] =>
  (s.requested ?? []).flatMap((r) => {
    const a = parseAddr(r.value);
    return a.ok ? [a.value] : [];
  });

function inScope(v: KubeVipValue, services: LbServiceInfo[]): LbServiceInfo[] {
  const scope = v.key.replace(/^(cidr|range)-/, '');
  return scope === 'global' ? services : services.filter((s) => s.namespace === scope);
}

/** Usage of `sets` (a whole pool, or one entry of it) among the Services the key serves. */
function usageOf(c: KubeVipConfig, v: KubeVipValue, sets: RangeSet[], services: LbServiceInfo[]): Omit<KubeVipUsage, 'key' | 'scope' | 'errors'> {
  const scoped = inScope(v, services);
  const taken = new Map<Family, bigint[]>([
    [4, []],
    [6, []],
  ]);
  for (const s of scoped) for (const a of requested(s)) taken.get(a.family)!.push(a.value);
  const counted = (a: Addr) => !endsIn0Or255(a) && sets.some((s) => s.family === a.family && s.contains(a.value));
  const usedIps = new Set(
    scoped.flatMap((s) =>
      requested(s)
        .filter(counted)
        .map((a) => formatAddr(a)),
    ),
  );
  const total = sets.reduce((n, s) => n + handOutCount(s), 0n);
  let firstFree: string | undefined;
  for (const set of sets) {
    const next = nextFree(set, RangeSet.ofValues(set.family, taken.get(set.family)!), options(c).descending);
    if (next !== undefined) {
      firstFree = formatAddr({ family: set.family, value: next });
      break;
    }
  }
  return { total, used: usedIps.size, free: total - BigInt(usedIps.size), firstFree, users: scoped.filter((s) => requested(s).some(counted)) };
}

/** One row per `cidr-*`/`range-*` key of the config the provider reads. */
export function kubeVipUsage(inventory: Inventory): KubeVipUsage[] {
  const c = activeKubeVip(inventory.kubeVipConfigs);
  if (!c) return [];
  return [...c.values.values()]
    .filter((v) => isPoolKey(v.key))
    .map((v) => {
      const pool = poolOf(c, v);
      const errors = [...(pool.error ? [pool.error] : []), ...pool.entries.flatMap((e) => (e.error ? [e.error] : []))];
      const usage = errors.length ? { total: 0n, used: 0, free: 0n, users: [] } : usageOf(c, v, pool.sets, inventory.services);
      return { key: v.key, scope: v.key.replace(/^(cidr|range)-/, ''), errors, ...usage };
    });
}

/** Usage of one entry of a key (the kube-vip ranges view lists entries). */
export function kubeVipEntryUsage(inventory: Inventory, key: string, entryIndex: number): Omit<KubeVipUsage, 'key' | 'scope' | 'errors'> | undefined {
  const c = activeKubeVip(inventory.kubeVipConfigs);
  const v = c?.values.get(key);
  if (!c || !v) return undefined;
  const pool = poolOf(c, v);
  const e = pool.entries[entryIndex];
  if (!e || e.family === undefined || pool.error || pool.entries.some((x) => x.error)) return undefined;
  const candidates = pool.sets.find((s) => s.family === e.family)!;
  return usageOf(c, v, [RangeSet.of(e.family, [[e.first!, e.last!]]).intersect(candidates)], inventory.services);
}

/** The pool a Service draws from, as "key value", and whether its requested IPs lie in it. */
export function serviceDraw(inventory: Inventory, s: LbServiceInfo): { pool: string; inside: boolean } | undefined {
  const c = activeKubeVip(inventory.kubeVipConfigs);
  const hit = c && poolForNamespace(c, s.namespace);
  if (!hit) return undefined;
  const ips = requested(s);
  return { pool: `${hit.value.key} ${hit.value.value}`, inside: ips.length > 0 && ips.every((a) => handsOut(hit.pool, a)) };
}

/** Services whose requested IP is `ip`. */
export function servicesRequesting(inventory: Inventory, ip: string): LbServiceInfo[] {
  return inventory.services.filter((s) => (s.requested ?? []).some((r) => canonical(r.value) === ip));
}
