// vip-in-estate: a cluster's VIP is also held by a live object elsewhere in the estate — a LoadBalancer
// Service or a node address of any workload cluster, or (live clusters alone) another cluster's VIP.
// A file's cluster is reported at its VIP's main place, naming the other cluster and object; a live
// cluster no file holds is reported to the Estate view and the CLI (estateVipFindings).
import type { Finding } from '../types';
import type { Inventory, KnownEndpoint, Owner } from '../model/types';
import { canonical } from '../ip/addr';
import { vipGroups } from '../model/vipPlaces';
import { defineRule } from './rule';
import { alsoAt, finding } from './context';
import { type EstateFinding, type Holder, estateHolders, named } from './estateIndex';

const clusterKey = (namespace: string, name: string) => `${namespace}/${name}`;

/** What a VIP must not share: Services and node addresses (its own nodes too: kubelet then reports the VIP as a node IP). */
const clashes = (h: Holder) => h.role === 'service' || h.role === 'node';

function message(ip: string, holders: Holder[]): string {
  return `${ip} is also ${named(holders)}: the address would answer for both.`;
}

/** The same check for live clusters that no workspace file holds, plus VIP against VIP across them. */
function estateVipFindings(inventory: Inventory, fileClusters: ReadonlySet<string>): EstateFinding[] {
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

export const vipInEstate = defineRule({
  code: 'vip-in-estate',
  severities: ['error'],
  summary: "A VIP is also a LoadBalancer Service's IP or a node's address in a cluster of the estate.",
  docs: `**error** — the VIP is also the load-balancer IP of a Service or the address of a node (a Machine's
\`status.addresses\` in a management cluster, a Node's in a workload cluster) anywhere in the estate — the
cluster's own nodes included: a node that reports the VIP as its IP is the "VIP picked up as node IP" failure.
A file's cluster is reported at its VIP's main place, naming the other cluster and object; a live cluster no
file holds is reported in the Estate view and by \`capi-ipam estate\`, where two live clusters' equal VIPs are
reported too.`,
  cluster: (c, { inventory }) => {
    if (inventory.estate.length === 0 && inventory.nodeAddresses.length === 0) return [];
    const index = estateHolders(inventory);
    const out: Finding[] = [];
    for (const g of vipGroups(c)) {
      const holders = (index.get(g.ip) ?? []).filter(clashes);
      if (holders.length) out.push(finding('vip-in-estate', 'error', g.at, message(g.ip, holders), alsoAt(g)));
    }
    return out;
  },
  estate: estateVipFindings,
});
