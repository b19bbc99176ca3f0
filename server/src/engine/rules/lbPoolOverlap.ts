// lb-pool-overlap: a MetalLB or Cilium LB-IPAM pool can hand out an address that an IPAM pool (a VIP
// or node pool) also hands out (error: a Service and a cluster or machine fight over it), or that
// another load-balancer range hands out (warning: two providers, or two pools, answer for one address).
// One finding per entry and partner, at the entry; pools are few, so pairs are compared.
import { formatAddr } from '../ip/addr';
import type { RangeSet } from '../ip/range-set';
import { PROVIDER_NAMES, lbCount, lbEntrySets, lbPoolLabel, lbPoolSet } from '../lbSources';
import { activeKubeVip, isPoolKey, poolOf } from '../model/kubeVipConfig';
import type { LbPoolInfo } from '../model/types';
import type { Finding, Location } from '../types';
import { finding, related } from './context';
import { poolLabel } from '../model/pools';
import { type RuleContext } from './context';
import { defineRule } from './rule';

const sample = (common: RangeSet, n = common.size()) => `${n} address(es) (e.g. ${formatAddr({ family: common.family, value: common.first()! })}) that`;

export const lbPoolOverlap = defineRule({
  code: 'lb-pool-overlap',
  severities: ['error', 'warning'],
  summary: 'A MetalLB or Cilium LB-IPAM pool overlaps a VIP or node pool, or another load-balancer range.',
  docs: `**error/warning** — a MetalLB \`IPAddressPool\` or an enabled Cilium \`CiliumLoadBalancerIPPool\` can hand out an
address that a VIP pool or node pool also hands out (**error**: a Service and a cluster or a machine would fight over
it), or that another load-balancer range hands out — another MetalLB or Cilium pool, or a kube-vip cloud provider range
(**warning**). Reported at the pool's entry; a MetalLB pool with \`autoAssign: false\` still counts (a Service may ask
for any of its addresses). A cluster VIP inside an LB pool is \`rule-lb-range-overlap\`.`,
  check: (ctx) => overlaps(ctx),
});

function overlaps({ inventory }: RuleContext): Finding[] {
  const out: Finding[] = [];
  const active = inventory.lbPools.filter((p) => !p.disabled);
  if (active.length === 0) return out;
  const ipamPools = inventory.pools.filter((p) => p.analysis.errors.length === 0 && p.analysis.family !== undefined && !p.source?.managedBy);
  const kubeVip = activeKubeVip(inventory.kubeVipConfigs);
  const kubeVipSets = kubeVip
    ? [...kubeVip.values.values()]
        .filter((v) => isPoolKey(v.key))
        .map((v) => ({ label: `kube-vip ${v.key} ${v.value}`, sets: poolOf(kubeVip, v).sets, site: v.site ?? kubeVip.origin }))
    : [];
  active.forEach((pool, i) => {
    for (const e of lbEntrySets(pool)) {
      const { entry, set } = e;
      if (set.isEmpty) continue;
      const at: Location | undefined = entry.site ?? pool.origin;
      if (!at) continue; // a live pool: reported at the workspace side, if any
      const what = `${lbPoolLabel(pool)} entry ${entry.text}`;
      for (const ipam of ipamPools) {
        if (ipam.analysis.family !== set.family) continue;
        const common = set.intersect(ipam.analysis.allocatable);
        if (lbCount(e, common) === 0n) continue;
        out.push(
          finding(
            'lb-pool-overlap',
            'error',
            at,
            `${what} overlaps ${poolLabel(ipam)}: ${sample(common, lbCount(e, common))} both ${PROVIDER_NAMES[pool.provider]} and the IPAM provider can hand out.`,
            related(ipam.origin, poolLabel(ipam)),
          ),
        );
      }
      // Each pair of LB pools once, at the later one; kube-vip ranges at every LB pool.
      const others: { label: string; set: RangeSet; site?: Location; provider: string }[] = [
        ...active
          .slice(0, i)
          .map((o: LbPoolInfo) => ({ label: lbPoolLabel(o), set: lbPoolSet(o, set.family), site: o.origin, provider: PROVIDER_NAMES[o.provider] })),
        ...kubeVipSets.flatMap((k) =>
          k.sets.filter((s) => s.family === set.family).map((s) => ({ label: k.label, set: s, site: k.site, provider: PROVIDER_NAMES['kube-vip'] })),
        ),
      ];
      for (const o of others) {
        const common = set.intersect(o.set);
        if (common.isEmpty) continue;
        const who = o.provider === PROVIDER_NAMES[pool.provider] ? 'both pools' : `both ${PROVIDER_NAMES[pool.provider]} and ${o.provider}`;
        out.push(
          finding(
            'lb-pool-overlap',
            'warning',
            at,
            `${what} overlaps ${o.label}: ${sample(common)} ${who} can hand out to different Services.`,
            related(o.site, o.label),
          ),
        );
      }
    }
  });
  return out;
}
