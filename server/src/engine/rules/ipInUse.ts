// ip-in-use: an IPAddress of another claim holds a VIP (at its main place) or a certSAN that is not a
// VIP, once per address. Addresses are indexed by address once per inventory.
import { canonical } from '../ip/addr';
import { perObject } from '../memo';
import type { AddressInfo, Inventory, WorkloadCluster } from '../model/types';
import { vipGroups } from '../model/vipPlaces';
import type { Location, RelatedInfo } from '../types';
import { defineRule } from './rule';
import { alsoAt, finding, indexBy, related } from './context';

const indexes = perObject((inventory: Inventory) => ({
  addresses: indexBy(inventory.addresses, (a) => [canonical(a.address)]),
  claimCluster: new Map(inventory.claims.map((k) => [`${k.namespace}/${k.name}`, k.clusterName])),
}));

/**
 * `namespace/cluster` of every cluster whose claim holds `ip`: duplicate-ip leaves such a clash to
 * ip-in-use, which names the claim (one problem, one finding).
 */
export function claimOwners(inventory: Inventory, ip: string): Set<string> {
  const { addresses, claimCluster } = indexes(inventory);
  const out = new Set<string>();
  for (const a of addresses.get(ip) ?? []) {
    const owner = a.clusterName ?? claimCluster.get(`${a.namespace}/${a.claimName}`);
    if (owner) out.add(`${a.namespace}/${owner}`);
  }
  return out;
}

function ownsAddress(c: WorkloadCluster, a: AddressInfo, claimCluster: Map<string, string | undefined>): boolean {
  if (a.namespace !== c.namespace) return false;
  if (c.claimNames.includes(a.claimName)) return true;
  const owner = a.clusterName ?? claimCluster.get(`${a.namespace}/${a.claimName}`);
  return owner === c.name;
}

export const ipInUse = defineRule({
  code: 'ip-in-use',
  severities: ['error'],
  summary: 'The VIP is held by an IPAddress of another claim.',
  docs: `**error** — live: the VIP is held by an \`IPAddress\` of another claim (the message names the claim, its
namespace and the owning cluster).`,
  cluster: (c, { inventory }) => {
    const { addresses, claimCluster } = indexes(inventory);
    const groups = vipGroups(c);
    const sites: { ip: string; at: Location; same: RelatedInfo[] }[] = groups.map((g) => ({ ip: g.ip, at: g.at, same: alsoAt(g) }));
    const vips = new Set(groups.map((g) => g.ip));
    for (const s of c.certSans?.items ?? []) {
      const ip = !s.templated && canonical(s.value);
      if (ip && !vips.has(ip)) sites.push({ ip, at: s, same: [] });
    }
    return sites.flatMap(({ ip, at, same }) =>
      (addresses.get(ip) ?? []).flatMap((a) => {
        if (ownsAddress(c, a, claimCluster)) return [];
        const owner = a.clusterName ?? claimCluster.get(`${a.namespace}/${a.claimName}`);
        return [
          finding(
            'ip-in-use',
            'error',
            at,
            `${ip} is allocated to IPAddressClaim ${a.namespace}/${a.claimName}${owner ? ` of cluster ${owner}` : ''} (pool ${a.poolRef.kind} ${a.poolRef.name}).`,
            [...related(a.origin, `IPAddress ${a.namespace}/${a.name}`), ...same],
          ),
        ];
      }),
    );
  },
  resolvedByNewAddress: true,
});
