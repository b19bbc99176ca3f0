// management-pool-overlap: pools of two management clusters can hand out the same address. Each
// provider knows only its own IPAddresses, and the clusters share one network, so both may hand it
// out. (Pools of one management cluster are invalid-pool's.) One finding per pool, naming the others.
import { formatAddr } from '../ip/addr';
import { nextFree } from '../ip/kubeVipPool';
import { RangeSet } from '../ip/range-set';
import type { Inventory, PoolInfo } from '../model/types';
import { poolLabel } from '../model/pools';
import { someOf } from './context';
import { defineRule } from './rule';
import type { EstateFinding } from './estateIndex';

function poolOverlapsAcross(inventory: Inventory): EstateFinding[] {
  const live = inventory.pools.filter((p) => p.owner?.managementCluster && p.analysis.errors.length === 0);
  const clusters = new Set(live.map((p) => p.owner!.managementCluster));
  if (clusters.size < 2) return [];
  const label = (p: PoolInfo) => `${poolLabel(p)} of management cluster ${p.owner!.managementCluster}`;
  const out: EstateFinding[] = [];
  for (const p of live) {
    const others = live.filter((o) => o.owner!.managementCluster !== p.owner!.managementCluster && o.analysis.family === p.analysis.family);
    const hits = others.filter((o) => p.analysis.allocatable.overlaps(o.analysis.allocatable));
    if (!hits.length) continue;
    const both = p.analysis.allocatable.intersect(hits[0]!.analysis.allocatable);
    const v = nextFree(both, RangeSet.empty(both.family));
    const sample = v === undefined ? '' : formatAddr({ family: both.family, value: v });
    out.push({
      code: 'management-pool-overlap',
      severity: 'error',
      message: `${label(p)} overlaps ${someOf(hits.map(label), hits.length)}${sample ? `, e.g. ${sample}` : ''}: each provider knows only its own allocations, so both can hand out one address.`,
      address: sample,
      subject: p.owner!,
      related: hits.map((o) => o.owner!),
    });
  }
  return out;
}

export const managementPoolOverlap = defineRule({
  code: 'management-pool-overlap',
  severities: ['error'],
  summary: 'Pools of two management clusters can hand out the same address.',
  docs: `**error** — pools of two management clusters (\`capiIpam.managementClusters\`, \`--context\` repeated) can hand
out the same address: each provider knows only its own IPAddresses. The Estate view and \`capi-ipam estate\`.`,
  estate: poolOverlapsAcross,
});
