// service-ip-in-estate: a workload cluster's LoadBalancer Service holds an address that another cluster's
// Service, or a node of any cluster, also holds. (A Service on a VIP is vip-in-estate's: one problem,
// one finding.) Services of one cluster sharing an address are lb-ip-conflict's, which knows allow-share.
import { canonical } from '../ip/addr';
import type { Inventory } from '../model/types';
import { type EstateFinding, estateHolders, named } from './estateIndex';
import { defineRule } from './rule';

function serviceIpFindings(inventory: Inventory): EstateFinding[] {
  const index = estateHolders(inventory);
  const out: EstateFinding[] = [];
  for (const ec of inventory.estate) {
    const cluster = `${ec.namespace}/${ec.name}`;
    for (const s of ec.services) {
      const ips = new Set(s.ips.flatMap((x) => canonical(x.value) ?? []));
      for (const ip of ips) {
        const holders = (index.get(ip) ?? []).filter(
          (h) => (h.role === 'service' && (h.cluster !== cluster || h.owner.managementCluster !== ec.managementCluster)) || h.role === 'node',
        );
        if (!holders.length) continue;
        out.push({
          code: 'service-ip-in-estate',
          severity: 'error',
          message: `${ip}, the load-balancer IP of Service ${s.namespace}/${s.name} in cluster ${cluster}, is also ${named(holders)}.`,
          address: ip,
          subject: s.owner,
          related: holders.map((h) => h.owner),
        });
      }
    }
  }
  return out;
}

export const serviceIpInEstate = defineRule({
  code: 'service-ip-in-estate',
  severities: ['error'],
  summary: "A workload cluster's LoadBalancer Service IP is also another cluster's Service IP or a node's address.",
  docs: `**error** — a workload cluster's LoadBalancer Service holds an IP that another cluster's Service or a node of
any cluster also holds (Services of one cluster are \`lb-ip-conflict\`'s; a Service on a VIP is
\`vip-in-estate\`'s). Live objects only: the Estate view and \`capi-ipam estate\`.`,
  estate: serviceIpFindings,
});
