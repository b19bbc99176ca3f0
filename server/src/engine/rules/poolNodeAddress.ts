// pool-node-address: an IPAM pool can hand out an address a node of the estate already has (a DHCP lease,
// a static IP) — the provider does not know it is taken. A node that got its address from that pool
// (an IPAddress of the pool holds it) is no problem. Workspace pools are reported at the pool; live
// pools to the Estate view and the CLI.
import { parseAddr } from '../ip/addr';
import type { Inventory, NodeAddressInfo, Owner, PoolInfo } from '../model/types';
import type { Finding } from '../types';
import { canonical } from '../ip/addr';
import { nodeLabel } from '../model/estate';
import { poolLabel } from '../model/pools';
import { finding, someOf } from './context';
import { defineRule } from './rule';
import type { EstateFinding } from './estateIndex';

/** One pool and the node addresses it could hand out (one finding per pool, however many nodes). */
interface Hit {
  pool: PoolInfo;
  taken: { ip: string; nodes: NodeAddressInfo[] }[];
}

function hits(inventory: Inventory): Hit[] {
  if (inventory.nodeAddresses.length === 0) return [];
  const allocated = new Set(inventory.addresses.map((a) => `${a.poolRef.kind}/${a.poolRef.name}/${canonical(a.address)}`));
  const byIp = new Map<string, NodeAddressInfo[]>();
  for (const n of inventory.nodeAddresses) {
    const ip = canonical(n.address);
    if (ip) byIp.set(ip, [...(byIp.get(ip) ?? []), n]);
  }
  const out: Hit[] = [];
  for (const pool of inventory.pools) {
    if (pool.analysis.errors.length) continue;
    const taken: Hit['taken'] = [];
    for (const [ip, nodes] of byIp) {
      const a = parseAddr(ip);
      if (!a.ok || a.value.family !== pool.analysis.family || !pool.analysis.allocatable.contains(a.value.value)) continue;
      if (!allocated.has(`${pool.kind}/${pool.name}/${ip}`)) taken.push({ ip, nodes });
    }
    if (taken.length) out.push({ pool, taken });
  }
  return out;
}

const text = (h: Hit) => {
  const each = h.taken.map((t) => `${t.ip} (${nodeLabel(t.nodes[0]!)})`);
  const what = h.taken.length === 1 ? `${each[0]}, a node's address` : `${h.taken.length} node addresses: ${someOf(each, each.length)}`;
  return `${poolLabel(h.pool)} can hand out ${what}; no IPAddress of the pool holds it, so a claim may get it.`;
};

function estatePoolNodeFindings(inventory: Inventory): EstateFinding[] {
  return hits(inventory).flatMap((h) => {
    if (h.pool.origin || !h.pool.owner) return [];
    const subject: Owner = h.pool.owner;
    const related = h.taken.flatMap((t) => t.nodes.map((n) => n.owner));
    return [{ code: 'pool-node-address', severity: 'error' as const, message: text(h), address: h.taken[0]!.ip, subject, related }];
  });
}

export const poolNodeAddress = defineRule({
  code: 'pool-node-address',
  severities: ['error'],
  summary: 'An IPAM pool can hand out an address a node of the estate already has.',
  docs: `**error** — an IPAM pool can hand out an address a node of the estate already has (a DHCP lease, a static
IP) and no IPAddress of the pool holds: the next claim may get a node's address. A node that got its address
from the pool is no problem. At the pool in a file; a live pool in the Estate view and \`capi-ipam estate\`.`,
  check: ({ inventory }) => {
    const out: Finding[] = [];
    for (const h of hits(inventory)) if (h.pool.origin) out.push(finding('pool-node-address', 'error', h.pool.origin, text(h)));
    return out;
  },
  estate: estatePoolNodeFindings,
});
