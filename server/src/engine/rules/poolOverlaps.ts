// Pools that can hand out the same address, found by one sweep over their allocatable ranges in
// address order (O(R log R) for R ranges), never by comparing every pair: N pools over one subnet
// give N findings, not N².
import type { PoolInfo } from '../model/types';

export interface PoolOverlap {
  pool: PoolInfo;
  /** A pool whose allocatable addresses intersect this pool's. */
  partner: PoolInfo;
  /** Every pool linked to this one by overlaps (itself included), in inventory order. */
  group: PoolInfo[];
}

/** Namespaced pools collide within their namespace; global pools with every pool. */
const GLOBAL = '\u0000global';
const domainOf = (p: PoolInfo) => (p.kind.startsWith('Global') ? GLOBAL : (p.namespace ?? ''));

export function poolOverlaps(pools: PoolInfo[]): PoolOverlap[] {
  const out: PoolOverlap[] = [];
  for (const family of [4, 6] as const) {
    // A ProxmoxCluster's node range is copied by CAPMOX into an InClusterIPPool of its own: not a second pool.
    const fam = pools.filter((p) => p.analysis.errors.length === 0 && p.analysis.family === family && !p.source?.nodeRange);
    const ranges = fam.flatMap((p, i) => p.analysis.allocatable.ranges.map(([first, last]) => ({ first, last, i })));
    ranges.sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
    const parent = fam.map((_, i) => i);
    const root = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
      return i;
    };
    const partner: (number | undefined)[] = [];
    // Per collision domain, the range seen so far that reaches furthest: if any earlier range of
    // that domain overlaps the current one, this one does.
    const reach = new Map<string, { last: bigint; i: number }>();
    for (const r of ranges) {
      const domain = domainOf(fam[r.i]!);
      const candidates = domain === GLOBAL ? [...reach.values()] : [reach.get(domain), reach.get(GLOBAL)];
      for (const x of candidates) {
        if (!x || x.last < r.first || x.i === r.i) continue;
        parent[root(r.i)] = root(x.i);
        partner[r.i] ??= x.i;
        partner[x.i] ??= r.i;
      }
      const mine = reach.get(domain);
      if (!mine || r.last > mine.last) reach.set(domain, { last: r.last, i: r.i });
    }
    const groups = new Map<number, PoolInfo[]>();
    fam.forEach((p, i) => {
      if (partner[i] === undefined) return;
      const g = groups.get(root(i)) ?? [];
      g.push(p);
      groups.set(root(i), g);
    });
    fam.forEach((pool, i) => {
      const j = partner[i];
      if (j !== undefined) out.push({ pool, partner: fam[j]!, group: groups.get(root(i))! });
    });
  }
  return out;
}
