// lb-range-overlap: the VIP lies in a kube-vip cloud provider range, so a LoadBalancer Service may be
// given the same address.
import { inEntry } from '../model/pools';
import { vipGroups } from '../model/vipPlaces';
import { defineRule } from './rule';
import { alsoAt, finding, related } from './context';

export const lbRangeOverlap = defineRule({
  code: 'lb-range-overlap',
  severities: ['warning'],
  summary: 'The VIP lies in a kube-vip cloud-provider range: a LoadBalancer Service may get it.',
  docs: `**warning** — the VIP lies in a kube-vip cloud provider range (\`kubevip\` ConfigMap, \`cidr-*\`/\`range-*\`):
a LoadBalancer Service may get it.`,
  cluster: (c, { inventory }) =>
    vipGroups(c).flatMap((g) =>
      inventory.kubeVipRanges
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
    ),
  resolvedByNewAddress: true,
});
