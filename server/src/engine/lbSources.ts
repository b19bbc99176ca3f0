// MetalLB and Cilium LB-IPAM pools as their controllers read them (issue 23): the addresses each
// pool hands out, which provider serves a Service (loadBalancerClass, annotations), and which of
// that provider's pools a Service may draw from (MetalLB serviceAllocation, Cilium serviceSelector).
import { type Addr, type Family, parseAddr } from './ip/addr';
import { parseEntry } from './ip/entry';
import { endsIn0Or255, handOutCount, nextFree } from './ip/kubeVipPool';
import { RangeSet } from './ip/range-set';
import { perObject } from './memo';
import { activeKubeVip } from './model/kubeVipConfig';
import { selects } from './model/sourcesDecode';
import type { Inventory, LbPoolInfo, LbProvider, LbServiceInfo } from './model/types';

export const PROVIDER_NAMES: Record<LbProvider, string> = { 'kube-vip': 'kube-vip cloud provider', metallb: 'MetalLB', cilium: 'Cilium LB-IPAM' };

export const lbPoolLabel = (p: LbPoolInfo) => (p.namespace ? `${p.kind} ${p.namespace}/${p.name}` : `${p.kind} ${p.name}`);

export interface LbEntrySet {
  entry: LbPoolInfo['entries'][number];
  set: RangeSet;
  /** MetalLB `avoidBuggyIPs`: the set's IPv4 addresses ending in .0 or .255 are never handed out. */
  buggy: boolean;
}

/**
 * Each entry's addresses as the provider hands them out. MetalLB: the whole range or CIDR (with
 * `avoidBuggyIPs`, never an IPv4 .0 or .255: `buggy`, counted by arithmetic, never enumerated);
 * Cilium: a CIDR block without its first and last address unless `allowFirstLastIPs` (a /31, /32,
 * /127 or /128 keeps them). An unparsable entry hands out nothing.
 */
export const lbEntrySets: (p: LbPoolInfo) => LbEntrySet[] = perObject((p: LbPoolInfo) =>
  p.entries.map((entry) => {
    const e = parseEntry(entry.text);
    const buggy = p.provider === 'metallb' && p.avoidBuggyIPs;
    if (!e.ok) return { entry, set: RangeSet.empty(4), buggy };
    const { family, first, last } = e.value;
    const cidr = entry.text.includes('/') && !entry.text.includes('-');
    let set = RangeSet.of(family, [[first, last]]);
    const ends = RangeSet.ofValues(family, [first, last]);
    if (p.provider === 'cilium' && cidr && !p.allowFirstLastIPs && last - first > 1n) set = set.subtract(ends);
    return { entry, set, buggy };
  }),
);

/** The union of a pool's entries of one family. */
export function lbPoolSet(p: LbPoolInfo, family: Family): RangeSet {
  return lbEntrySets(p).reduce((u, e) => (e.set.family === family ? u.union(e.set) : u), RangeSet.empty(family));
}

export function lbPoolHolds(p: LbPoolInfo, a: Addr): boolean {
  return lbEntrySets(p).some((e) => e.set.family === a.family && e.set.contains(a.value) && !(e.buggy && endsIn0Or255(a)));
}

/** How many addresses of `set` (part of an entry) the provider hands out. */
export const lbCount = (e: LbEntrySet, set: RangeSet = e.set): bigint => (e.buggy ? handOutCount(set) : set.size());

/** The lowest address of the entry not in `used`, as the provider would hand it out. */
export const lbNextFree = (e: LbEntrySet, used: RangeSet): bigint | undefined => (e.buggy ? nextFree(e.set, used) : e.set.subtract(used).first());

const METALLB_POOL_ANNOTATIONS = ['metallb.io/address-pool', 'metallb.universe.tf/address-pool'];

/**
 * Which provider serves the Service: its `loadBalancerClass` (kube-vip's `kube-vip.io/kube-vip-class`,
 * Cilium's `io.cilium/*`, any other class with MetalLB pools known: MetalLB's `--lb-class`), else its
 * provider-specific annotations, else the one provider the inventory knows (kube-vip when its ConfigMap is there).
 */
export function serviceProvider(inventory: Inventory, s: LbServiceInfo): LbProvider | undefined {
  const cls = s.loadBalancerClass;
  const has = (provider: LbPoolInfo['provider']) => inventory.lbPools.some((p) => p.provider === provider);
  const kubeVip = !!activeKubeVip(inventory.kubeVipConfigs);
  if (cls === 'kube-vip.io/kube-vip-class') return 'kube-vip';
  if (cls?.startsWith('io.cilium/')) return 'cilium';
  if (cls) return has('metallb') ? 'metallb' : undefined;
  const keys = Object.keys(s.annotations ?? {});
  if (keys.some((k) => k.startsWith('metallb.io/') || k.startsWith('metallb.universe.tf/'))) return 'metallb';
  if (keys.some((k) => k.startsWith('lbipam.cilium.io/') || k.startsWith('io.cilium/'))) return 'cilium';
  if (keys.some((k) => k.startsWith('kube-vip.io/'))) return 'kube-vip';
  if (kubeVip) return 'kube-vip';
  return has('metallb') ? 'metallb' : has('cilium') ? 'cilium' : undefined;
}

/**
 * The pools of `provider` the Service may be given an address from: MetalLB's pool named by
 * annotation, else those whose serviceAllocation admits its namespace and labels (namespace
 * selectors need Namespace labels, which the inventory lacks: such a pool is admitted); Cilium's
 * enabled pools whose serviceSelector matches (none: every Service).
 */
export function poolsForService(inventory: Inventory, s: LbServiceInfo, provider: 'metallb' | 'cilium'): LbPoolInfo[] {
  const labels = s.labels ?? {};
  const pools = inventory.lbPools.filter((p) => p.provider === provider);
  if (provider === 'cilium') return pools.filter((p) => !p.disabled && p.serviceSelectors.every((sel) => selects(sel, labels)));
  const named = METALLB_POOL_ANNOTATIONS.map((k) => s.annotations?.[k]).find(Boolean);
  if (named) return pools.filter((p) => p.name === named);
  return pools.filter(
    (p) =>
      (p.namespaces.length === 0 || p.namespaces.includes(s.namespace)) &&
      (p.serviceSelectors.length === 0 || p.serviceSelectors.some((sel) => selects(sel, labels))),
  );
}

/** Addresses of `value` (for views). */
export function addrOf(value: string): Addr | undefined {
  const a = parseAddr(value);
  return a.ok ? a.value : undefined;
}
