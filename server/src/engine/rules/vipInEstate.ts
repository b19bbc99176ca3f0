// vip-in-estate: a cluster's VIP is also held by a live object elsewhere in the estate — a LoadBalancer
// Service or a node address of any workload cluster, or (live clusters alone) another cluster's VIP.
// A file's cluster is reported at its VIP's main place, naming the other cluster and object; a live
// cluster no file holds is reported to the Estate view and the CLI (estateVipFindings).
import type { Finding } from '../types';
import type { Inventory, KnownEndpoint, Owner } from '../model/types';
import { canonical } from '../ip/addr';
import { type Rule, alsoAt, finding, vipGroups } from './context';
import { type EstateFinding, type Holder, estateHolders, named } from './estateIndex';

const clusterKey = (namespace: string, name: string) => `${namespace}/${name}`;

/** What a VIP must not share: Services and node addresses (its own nodes too: kubelet then reports the VIP as a node IP). */
const clashes = (h: Holder) => h.role === 'service' || h.role === 'node';

function message(ip: string, holders: Holder[]): string {
  return `${ip} is also ${named(holders)}: the address would answer for both.`;
}

export const vipInEstate: Rule = ({ clusters, inventory }) => {
  if (inventory.estate.length === 0 && inventory.nodeAddresses.length === 0) return [];
  const index = estateHolders(inventory);
  const out: Finding[] = [];
  for (const c of clusters) {
    for (const g of vipGroups(c)) {
      const holders = (index.get(g.ip) ?? []).filter(clashes);
      if (holders.length) out.push(finding('vip-in-estate', 'error', g.at, message(g.ip, holders), alsoAt(g)));
    }
  }
  return out;
};

/** The same check for live clusters that no workspace file holds, plus VIP against VIP across them. */
export function estateVipFindings(inventory: Inventory, fileClusters: ReadonlySet<string>): EstateFinding[] {
  const index = estateHolders(inventory);
  const out: EstateFinding[] = [];
  const seen = new Set<string>();
  for (const e of inventory.endpoints as (KnownEndpoint & { owner?: Owner })[]) {
    const ip = canonical(e.host);
    if (!ip || !e.owner || fileClusters.has(clusterKey(e.namespace, e.clusterName))) continue;
    const me = `${e.owner.managementCluster ?? ''} ${e.namespace}/${e.clusterName}`;
    if (seen.has(me)) continue;
    seen.add(me);
    const holders = (index.get(ip) ?? []).filter((h) => clashes(h) || (h.role === 'vip' && h.entity !== `vip ${me}`));
    if (holders.length)
      out.push({
        code: 'vip-in-estate',
        severity: 'error',
        message: message(ip, holders),
        address: ip,
        subject: e.owner,
        related: holders.map((h) => h.owner),
      });
  }
  return out;
}
