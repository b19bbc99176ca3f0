// lb-range-overlap: the VIP lies in a kube-vip cloud provider range, a MetalLB pool or an enabled Cilium
// LB-IPAM pool, so a LoadBalancer Service may be given the same address.
import { parseAddr } from '../ip/addr';
import { PROVIDER_NAMES, lbPoolHolds, lbPoolLabel } from '../lbSources';
import { inEntry } from '../model/pools';
import { vipGroups } from '../model/vipPlaces';
import { defineRule } from './rule';
import { alsoAt, finding, related } from './context';

export const lbRangeOverlap = defineRule({
  code: 'lb-range-overlap',
  severities: ['warning'],
  summary: 'The VIP lies in a kube-vip cloud-provider range or a MetalLB or Cilium pool: a LoadBalancer Service may get it.',
  docs: `**warning** — the VIP lies in a kube-vip cloud provider range (\`kubevip\` ConfigMap, \`cidr-*\`/\`range-*\`), a
MetalLB \`IPAddressPool\` or an enabled Cilium \`CiliumLoadBalancerIPPool\`: a LoadBalancer Service may get it.`,
  cluster: (c, { inventory }) =>
    vipGroups(c).flatMap((g) => [
      ...inventory.kubeVipRanges
        .filter((r) => inEntry(r.entry, g.ip))
        .map((r) =>
          finding(
            'lb-range-overlap',
            'warning',
            g.at,
            `${g.ip} lies in the kube-vip cloud provider range ${r.key} ${r.entry} (ConfigMap ${r.configMapNamespace}/kubevip): a LoadBalancer Service may be given the same address.`,
            [...related(r.site, `${r.key}: ${r.entry}`), ...alsoAt(g)],
          ),
        ),
      ...inventory.lbPools
        .filter((lb) => {
          const a = parseAddr(g.ip);
          return !lb.disabled && a.ok && lbPoolHolds(lb, a.value);
        })
        .map((lb) =>
          finding(
            'lb-range-overlap',
            'warning',
            g.at,
            `${g.ip} lies in ${lbPoolLabel(lb)} (${PROVIDER_NAMES[lb.provider]}): a LoadBalancer Service may be given the same address.`,
            [...related(lb.origin, lbPoolLabel(lb)), ...alsoAt(g)],
          ),
        ),
    ]),
  resolvedByNewAddress: true,
});
