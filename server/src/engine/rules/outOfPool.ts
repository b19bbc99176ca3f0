// out-of-pool: the VIP is in no pool of its family that hands it out. A warning when it lies in a
// pool's subnet but outside what that pool hands out (a pool range that missed it); information when
// no pool's subnet covers it (pools of other networks, such as a secondary NIC's, say nothing about it).
import { formatAddr, parseAddr } from '../ip/addr';
import { familyOf, poolLabel, poolsHolding, validPools } from '../model/pools';
import { type VipGroup, vipGroups } from '../model/vipPlaces';
import type { Inventory } from '../model/types';
import type { Finding } from '../types';
import { defineRule } from './rule';
import { alsoAt, finding, related } from './context';
import { reservations } from './reservedIp';
import { nodePools } from '../ranking';

function outside(g: VipGroup, inventory: Inventory): Finding[] {
  const family = familyOf(g.ip);
  const sameFamily = validPools(inventory).filter((q) => q.analysis.family === family);
  // reserved-ip says why a reserved address is not handed out.
  if (sameFamily.length === 0 || reservations(inventory, g.ip).length > 0 || poolsHolding(inventory, g.ip).length > 0) return [];
  const same = alsoAt(g);
  const a = parseAddr(g.ip);
  const covering = a.ok
    ? sameFamily.filter((q) => q.analysis.subnet && a.value.value >= q.analysis.subnet.first && a.value.value <= q.analysis.subnet.last)
    : [];
  // Outside a node pool is where a VIP belongs: only a VIP pool's subnet makes a miss a warning.
  const nodes = nodePools(inventory);
  if (covering.length && covering.every((q) => nodes.has(q))) return [];
  const pool = covering.find((q) => !nodes.has(q));
  if (pool) {
    const subnet = `${formatAddr({ family: family!, value: pool.analysis.subnet!.first })}/${pool.analysis.subnet!.prefix}`;
    return [
      finding(
        'out-of-pool',
        'warning',
        g.at,
        `${g.ip} lies in the subnet ${subnet} of ${poolLabel(pool)} but outside the addresses it hands out (${pool.spec.addresses.join(', ')}): nothing reserves it.`,
        [...related(pool.origin, poolLabel(pool)), ...same],
      ),
    ];
  }
  const names = `${sameFamily.map(poolLabel).slice(0, 3).join(', ')}${sameFamily.length > 3 ? ', …' : ''}`;
  return [
    finding('out-of-pool', 'info', g.at, `${g.ip} is in no subnet of the ${sameFamily.length} known IPv${family} pools (${names}): nothing reserves it.`, same),
  ];
}

export const outOfPool = defineRule({
  code: 'out-of-pool',
  severities: ['warning', 'info'],
  summary: 'The VIP is in no known pool.',
  docs: `**warning/information** — a **warning** when the VIP lies in the subnet of a pool but outside what that pool can
allocate (a range that missed it); **information** when no known pool's subnet covers the VIP (pools of other networks,
a secondary NIC's say, tell nothing about it). Reported only when valid pools of its family are known. A VIP outside a
node pool but in its subnet is where it belongs: nothing is said (see \`rule-vip-in-node-pool\`).`,
  cluster: (c, { inventory }) => vipGroups(c).flatMap((g) => outside(g, inventory)),
  resolvedByNewAddress: true,
});
