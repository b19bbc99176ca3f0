// out-of-pool, reserved-ip, lb-range-overlap and network-overlap: where the VIP lies. One finding
// per cluster and address, at its main place; the cluster's other places of it are related information.
import { reservedReason } from '../ip/pool';
import type { Finding } from '../types';
import { type Rule, alsoAt, familyOf, finding, inEntry, poolLabel, poolsHolding, related, vipGroups } from './context';

const REASONS = {
  network: 'the network address',
  broadcast: 'the broadcast address',
  anycast: 'the subnet-router anycast address',
  gateway: 'the gateway',
  excluded: 'an excluded address',
} as const;

export const poolMembership: Rule = ({ clusters, inventory }) => {
  const out: Finding[] = [];
  const validPools = inventory.pools.filter((p) => p.analysis.errors.length === 0);
  for (const c of clusters) {
    for (const g of vipGroups(c)) {
      const p = g.at;
      const same = alsoAt(g);
      const family = familyOf(p.ip);
      const sameFamily = validPools.filter((q) => q.analysis.family === family);
      const reserved = validPools.flatMap((q) => {
        const why = reservedReason(q.analysis, q.spec, p.ip);
        return why ? [{ pool: q, why }] : [];
      });
      for (const { pool, why } of reserved) {
        out.push(finding('reserved-ip', 'warning', p, `${p.ip} is ${REASONS[why]} of ${poolLabel(pool)}: the IPAM provider never hands it out, and using it as a VIP breaks the subnet.`, [...related(pool.origin, poolLabel(pool)), ...same]));
      }
      if (sameFamily.length > 0 && reserved.length === 0 && poolsHolding(inventory, p.ip).length === 0) {
        out.push(finding('out-of-pool', 'warning', p, `${p.ip} is in none of the ${sameFamily.length} known IPv${family} pools (${sameFamily.slice(0, 3).map(poolLabel).join(', ')}${sameFamily.length > 3 ? ', …' : ''}): nothing reserves it.`, same));
      }
      for (const r of inventory.kubeVipRanges) {
        if (!inEntry(r.entry, p.ip)) continue;
        out.push(finding('lb-range-overlap', 'warning', p, `${p.ip} lies in the kube-vip cloud provider range ${r.key} ${r.entry} (ConfigMap ${r.configMapNamespace}/kubevip): a LoadBalancer Service may be given the same address.`, [...related(r.site, `${r.key}: ${r.entry}`), ...same]));
      }
      for (const cidr of [...c.podCidrs, ...c.serviceCidrs]) {
        if (!inEntry(cidr.value, p.ip)) continue;
        const kind = c.podCidrs.includes(cidr) ? 'pod' : 'service';
        out.push(finding('network-overlap', 'error', p, `${p.ip} lies in the cluster's own ${kind} CIDR ${cidr.value}: traffic to the VIP would be routed inside the cluster.`, [...related(cidr, `${kind} CIDR`), ...same]));
      }
    }
  }
  return out;
};

