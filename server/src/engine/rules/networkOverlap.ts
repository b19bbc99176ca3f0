// network-overlap: the VIP lies inside the cluster's own pod or service CIDRs, so traffic to it is
// routed inside the cluster.
import { inEntry } from '../model/pools';
import { vipGroups } from '../model/vipPlaces';
import { defineRule } from './rule';
import { alsoAt, finding, related } from './context';

export const networkOverlap = defineRule({
  code: 'network-overlap',
  severities: ['error'],
  summary: "The VIP lies inside the cluster's own pod or service CIDRs.",
  docs: `**error** — the VIP lies inside the cluster's own pod or service CIDRs
(\`Cluster.spec.clusterNetwork.pods/services.cidrBlocks\`).`,
  cluster: (c) =>
    vipGroups(c).flatMap((g) =>
      [...c.podCidrs, ...c.serviceCidrs]
        .filter((cidr) => inEntry(cidr.value, g.ip))
        .map((cidr) => {
          const kind = c.podCidrs.includes(cidr) ? 'pod' : 'service';
          return finding(
            'network-overlap',
            'error',
            g.at,
            `${g.ip} lies in the cluster's own ${kind} CIDR ${cidr.value}: traffic to the VIP would be routed inside the cluster.`,
            [...related(cidr, `${kind} CIDR`), ...alsoAt(g)],
          );
        }),
    ),
  resolvedByNewAddress: true,
});
