// vip-in-node-pool: the VIP lies in a node pool (one machine templates draw node addresses from, a
// Metal3 IPPool, a ProxmoxCluster node range): the IPAM provider can hand it to a machine.
import { poolLabel, poolsHolding } from '../model/pools';
import { vipGroups } from '../model/vipPlaces';
import { nodePools } from '../ranking';
import { defineRule } from './rule';
import { alsoAt, finding, related } from './context';
import { reservations } from './reservedIp';

export const vipInNodePool = defineRule({
  code: 'vip-in-node-pool',
  severities: ['warning'],
  summary: 'The VIP lies in a node pool (addressesFromPools, a Metal3 IPPool, a ProxmoxCluster node range): a machine can be given it.',
  docs: `**warning** — the VIP lies in a node pool: a pool machine templates draw node addresses from (CAPV
\`addressesFromPools\`, CAPMOX \`ipv4PoolRef\`, CAPM3 \`fromPoolRef\`), a Metal3 \`IPPool\` (ipam.metal3.io: the nodes' pool
unless a VIP claim was fulfilled from it) or a \`ProxmoxCluster\`'s \`ipv4Config\`/\`ipv6Config\` node range. The IPAM
provider can hand the address to a machine. A VIP outside a node pool, in its subnet, is where it belongs: no
\`out-of-pool\` for it.`,
  cluster: (c, { inventory }) => {
    const nodes = nodePools(inventory);
    return vipGroups(c).flatMap((g) => {
      if (reservations(inventory, g.ip).length > 0) return []; // reserved-ip says it
      const pool = poolsHolding(inventory, g.ip).find((q) => nodes.has(q));
      if (!pool) return [];
      const where = pool.source?.nodeRange ? 'the node range of' : 'the node pool';
      return [
        finding(
          'vip-in-node-pool',
          'warning',
          g.at,
          `${g.ip} lies in ${where} ${poolLabel(pool)}: the IPAM provider can hand it to a machine, which then answers on the VIP. Keep the VIP outside the nodes' range.`,
          [...related(pool.origin, poolLabel(pool)), ...alsoAt(g)],
        ),
      ];
    });
  },
  resolvedByNewAddress: true,
});
