// lb-range-pool-overlap: a kube-vip cloud provider pool and an IPAM pool can hand out the same
// address: a LoadBalancer Service and a cluster VIP (or node) would end up fighting over it.
import { formatAddr } from '../ip/addr';
import { handOutCount, nextFree } from '../ip/kubeVipPool';
import { RangeSet } from '../ip/range-set';
import { activeKubeVip, isPoolKey, poolOf } from '../model/kubeVipConfig';
import type { Finding } from '../types';
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
    for (const v of c.values.values()) {
      if (!isPoolKey(v.key)) continue;
      const provider = poolOf(c, v);
      for (const pool of pools) {
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
        for (const h of hits) {
          if (h.entry.site)
            out.push(
              finding(
                'lb-range-pool-overlap',
                'error',
                h.entry.site,
                message(`${v.key} entry ${h.entry.text}`, h.n, h.sample),
                related(pool.origin, poolLabel(pool)),
              ),
            );
        }
        // A live ConfigMap has no place in the workspace: report once on the workspace pool instead.
        if (hits.length && !hits.some((h) => h.entry.site) && pool.origin) {
          const n = hits.reduce((sum, h) => sum + h.n, 0n);
          out.push(finding('lb-range-pool-overlap', 'error', pool.origin, message(`kube-vip ${v.key} ${v.value}`, n, hits[0]!.sample)));
        }
      }
    }
    return out;
  },
});
