// reserved-ip: the VIP is an address a pool's subnet reserves (network, broadcast, anycast), its
// gateway or one it excludes: the provider never hands it out. One finding per pool and address.
import { reservedReason } from '../ip/pool';
import type { Inventory, PoolInfo } from '../model/types';
import { poolLabel, validPools } from '../model/pools';
import { vipGroups } from '../model/vipPlaces';
import { defineRule } from './rule';
import { alsoAt, finding, related } from './context';

const REASONS = {
  network: 'the network address',
  broadcast: 'the broadcast address',
  anycast: 'the subnet-router anycast address',
  gateway: 'the gateway',
  excluded: 'an excluded address',
} as const;

/** The valid pools that reserve `ip`, and why. */
export function reservations(inventory: Inventory, ip: string): { pool: PoolInfo; why: keyof typeof REASONS }[] {
  return validPools(inventory).flatMap((pool) => {
    const why = reservedReason(pool.analysis, pool.spec, ip);
    return why ? [{ pool, why }] : [];
  });
}

export const reservedIp = defineRule({
  code: 'reserved-ip',
  severities: ['warning'],
  summary: 'The VIP is a network, broadcast, anycast, gateway or excluded address of a pool.',
  docs: `**warning** — the VIP is a pool's network, broadcast (IPv4), anycast (IPv6), gateway or excluded address:
the in-cluster IPAM provider would never hand it out.`,
  cluster: (c, { inventory }) =>
    vipGroups(c).flatMap((g) =>
      reservations(inventory, g.ip).map(({ pool, why }) =>
        finding(
          'reserved-ip',
          'warning',
          g.at,
          `${g.ip} is ${REASONS[why]} of ${poolLabel(pool)}: the IPAM provider never hands it out, and using it as a VIP breaks the subnet.`,
          [...related(pool.origin, poolLabel(pool)), ...alsoAt(g)],
        ),
      ),
    ),
  resolvedByNewAddress: true,
});
