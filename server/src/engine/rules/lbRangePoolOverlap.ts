// lb-range-pool-overlap: a kube-vip cloud provider pool and an IPAM pool can hand out the same
// address: a LoadBalancer Service and a cluster VIP (or node) would end up fighting over it.
import { formatAddr } from '../ip/addr';
import { handOutCount, nextFree } from '../ip/kubeVipPool';
import { RangeSet } from '../ip/range-set';
import { activeKubeVip, isPoolKey, poolOf } from '../model/kubeVipConfig';
import type { Finding, Location } from '../types';
import type { PoolInfo } from '../model/types';
import { poolLabel } from '../model/pools';
import { finding, related } from './context';
import { defineRule } from './rule';

export const lbRangePoolOverlap = defineRule({
  code: 'lb-range-pool-overlap',
  severities: ['error'],
  summary: 'A kube-vip range overlaps what an IPAM pool can allocate.',
  docs: `**error** — a kube-vip range entry overlaps what an IPAM pool can allocate: both providers would hand out
the same addresses (the message counts them and names the first).`,
  check: ({ inventory }) => {
    const out: Finding[] = [];
    const c = activeKubeVip(inventory.kubeVipConfigs);
    if (!c) return out;
    const pools = inventory.pools.filter((p) => p.analysis.errors.length === 0);
    // Connected, the ConfigMap and the pools are the cluster's, which have no place in the workspace: an
    // entry or a pool written in the files too is reported there (the same key and entry text; the same pool).
    const declared = activeKubeVip(inventory.declaredKubeVipConfigs);
    const siteOf = (key: string, entry: { text: string; site?: Location }) =>
      entry.site ?? declared?.values.get(key)?.entries.find((e) => e.text === entry.text)?.site;
    const originOf = (pool: PoolInfo) =>
      pool.origin ?? inventory.declaredPools?.find((d) => d.kind === pool.kind && d.namespace === pool.namespace && d.name === pool.name)?.origin;
    for (const v of c.values.values()) {
      if (!isPoolKey(v.key)) continue;
      const provider = poolOf(c, v);
      for (const pool of pools) {
        const poolPlace = originOf(pool);
        const hits = provider.entries.flatMap((e, i) => {
          if (e.error || e.family === undefined || e.family !== pool.analysis.family) return [];
          const candidates = provider.sets.find((s) => s.family === e.family)!;
          const common = RangeSet.of(e.family, [[e.first!, e.last!]])
            .intersect(candidates)
            .intersect(pool.analysis.allocatable);
          const n = handOutCount(common);
          const sample = nextFree(common, RangeSet.empty(e.family));
          return n > 0n && sample !== undefined ? [{ entry: v.entries[i]!, n, sample: formatAddr({ family: e.family, value: sample }) }] : [];
        });
        const message = (what: string, n: bigint, sample: string) =>
          `${what} overlaps ${poolLabel(pool)}: ${n} address(es) both the kube-vip cloud provider and the IPAM provider can hand out, e.g. ${sample}.`;
        const placed = hits.map((h) => ({ ...h, site: siteOf(v.key, h.entry) }));
        for (const h of placed) {
          if (h.site)
            out.push(
              finding('lb-range-pool-overlap', 'error', h.site, message(`${v.key} entry ${h.entry.text}`, h.n, h.sample), related(poolPlace, poolLabel(pool))),
            );
        }
        // The ConfigMap is in no file: report once on the pool's document instead.
        if (placed.length && !placed.some((h) => h.site) && poolPlace) {
          const n = placed.reduce((sum, h) => sum + h.n, 0n);
          out.push(finding('lb-range-pool-overlap', 'error', poolPlace, message(`kube-vip ${v.key} ${v.value}`, n, placed[0]!.sample)));
        }
      }
    }
    return out;
  },
});
