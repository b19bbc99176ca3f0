// out-of-pool, reserved-ip, lb-range-overlap and network-overlap: where the VIP lies. One finding
// per cluster and address, at its main place; the cluster's other places of it are related information.
import { reservedReason } from '../ip/pool';
import { formatAddr, parseAddr } from '../ip/addr';
import type { Finding, Location, RelatedInfo } from '../types';
import type { PoolInfo } from '../model/types';
import { PROVIDER_NAMES, lbPoolHolds, lbPoolLabel } from '../lbSources';
import { poolRoles } from '../ranking';
import { type Rule, alsoAt, familyOf, finding, inEntry, poolLabel, poolsHolding, related, vipGroups } from './context';

const REASONS = {
  network: 'the network address',
  broadcast: 'the broadcast address',
  anycast: 'the subnet-router anycast address',
  gateway: 'the gateway',
  excluded: 'an excluded address',
} as const;

/**
 * A warning when the VIP lies in a pool's subnet but outside what that pool hands out (a pool
 * range that missed it); information when no pool's subnet covers it (pools of other networks,
 * such as a secondary NIC's, say nothing about the VIP).
 */
function outOfPool(p: Location & { ip: string }, sameFamily: PoolInfo[], family: 4 | 6, same: RelatedInfo[], nodePools: Set<PoolInfo>): Finding | undefined {
  const a = parseAddr(p.ip);
  // Outside a node pool is where a VIP belongs: only a VIP pool's subnet makes a miss a warning.
  const covering = a.ok
    ? sameFamily.filter((q) => q.analysis.subnet && a.value.value >= q.analysis.subnet.first && a.value.value <= q.analysis.subnet.last)
    : [];
  if (covering.length && covering.every((q) => nodePools.has(q))) return undefined;
  const pool = covering.find((q) => !nodePools.has(q));
  if (pool) {
    const subnet = `${formatAddr({ family, value: pool.analysis.subnet!.first })}/${pool.analysis.subnet!.prefix}`;
    return finding(
      'out-of-pool',
      'warning',
      p,
      `${p.ip} lies in the subnet ${subnet} of ${poolLabel(pool)} but outside the addresses it hands out (${pool.spec.addresses.join(', ')}): nothing reserves it.`,
      [...related(pool.origin, poolLabel(pool)), ...same],
    );
  }
  const names = `${sameFamily.map(poolLabel).slice(0, 3).join(', ')}${sameFamily.length > 3 ? ', …' : ''}`;
  return finding(
    'out-of-pool',
    'info',
    p,
    `${p.ip} is in no subnet of the ${sameFamily.length} known IPv${family} pools (${names}): nothing reserves it.`,
    same,
  );
}

/** vip-in-node-pool: machines are handed addresses from a node pool, so one of them can be given the VIP. */
function inNodePool(p: Location & { ip: string }, pool: PoolInfo, same: RelatedInfo[]): Finding {
  const where = pool.source?.nodeRange ? 'the node range of' : 'the node pool';
  return finding(
    'vip-in-node-pool',
    'warning',
    p,
    `${p.ip} lies in ${where} ${poolLabel(pool)}: the IPAM provider can hand it to a machine, which then answers on the VIP. Keep the VIP outside the nodes' range.`,
    [...related(pool.origin, poolLabel(pool)), ...same],
  );
}

export const poolMembership: Rule = ({ clusters, inventory }) => {
  const out: Finding[] = [];
  const validPools = inventory.pools.filter((p) => p.analysis.errors.length === 0);
  const roles = poolRoles(inventory, clusters);
  const nodePools = new Set(validPools.filter((p) => roles.get(p) === 'node'));
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
        out.push(
          finding(
            'reserved-ip',
            'warning',
            p,
            `${p.ip} is ${REASONS[why]} of ${poolLabel(pool)}: the IPAM provider never hands it out, and using it as a VIP breaks the subnet.`,
            [...related(pool.origin, poolLabel(pool)), ...same],
          ),
        );
      }
      const holding = reserved.length === 0 ? poolsHolding(inventory, p.ip) : [];
      const missed = sameFamily.length > 0 && reserved.length === 0 && holding.length === 0 && outOfPool(p, sameFamily, family!, same, nodePools);
      if (missed) out.push(missed);
      const node = holding.find((q) => nodePools.has(q));
      if (node) out.push(inNodePool(p, node, same));
      for (const r of inventory.kubeVipRanges) {
        if (!inEntry(r.entry, p.ip)) continue;
        out.push(
          finding(
            'lb-range-overlap',
            'warning',
            p,
            `${p.ip} lies in the kube-vip cloud provider range ${r.key} ${r.entry} (ConfigMap ${r.configMapNamespace}/kubevip): a LoadBalancer Service may be given the same address.`,
            [...related(r.site, `${r.key}: ${r.entry}`), ...same],
          ),
        );
      }
      for (const lb of inventory.lbPools) {
        const a = parseAddr(p.ip);
        if (lb.disabled || !a.ok || !lbPoolHolds(lb, a.value)) continue;
        out.push(
          finding(
            'lb-range-overlap',
            'warning',
            p,
            `${p.ip} lies in ${lbPoolLabel(lb)} (${PROVIDER_NAMES[lb.provider]}): a LoadBalancer Service may be given the same address.`,
            [...related(lb.origin, lbPoolLabel(lb)), ...same],
          ),
        );
      }
      for (const cidr of [...c.podCidrs, ...c.serviceCidrs]) {
        if (!inEntry(cidr.value, p.ip)) continue;
        const kind = c.podCidrs.includes(cidr) ? 'pod' : 'service';
        out.push(
          finding(
            'network-overlap',
            'error',
            p,
            `${p.ip} lies in the cluster's own ${kind} CIDR ${cidr.value}: traffic to the VIP would be routed inside the cluster.`,
            [...related(cidr, `${kind} CIDR`), ...same],
          ),
        );
      }
    }
  }
  return out;
};
