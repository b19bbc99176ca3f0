// What the estate rules share (issue 22): every address a live object of the estate holds — the
// control-plane endpoints of every management cluster, the LoadBalancer Services and node addresses
// of every cluster — indexed by canonical address once per inventory, so a rule looks an address up
// instead of comparing every pair.
import { canonical } from '../ip/addr';
import { perObject } from '../memo';
import { nodeLabel, ownerLabel } from '../model/estate';
import type { Inventory, Owner } from '../model/types';

export interface Holder {
  ip: string;
  role: 'vip' | 'service' | 'node';
  owner: Owner;
  /** `namespace/name` of the workload cluster the address belongs to (a VIP's, a Service's, a node's). */
  cluster?: string;
  /** Two holders with one `entity` are one thing (a Machine and its Node, a Cluster and its infrastructure cluster). */
  entity: string;
  /** "the VIP of cluster default/prod (Cluster default/prod, management cluster lab)" and the like. */
  label: string;
}

/** A finding about live objects alone: the Estate view and the CLI show it; no file holds either address. */
export interface EstateFinding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  address: string;
  subject: Owner;
  related: Owner[];
}

const mcOf = (o: Owner | undefined) => o?.managementCluster ?? '';

export const estateHolders: (inv: Inventory) => Map<string, Holder[]> = perObject((inv: Inventory) => {
  const out = new Map<string, Holder[]>();
  const add = (h: Holder) => {
    const list = out.get(h.ip);
    if (!list) out.set(h.ip, [h]);
    else if (!list.some((x) => x.entity === h.entity)) list.push(h);
  };
  for (const e of inv.endpoints) {
    const ip = canonical(e.host);
    if (!ip || !e.owner) continue; // workspace endpoints are the files' clusters: the file rules compare those
    const cluster = `${e.namespace}/${e.clusterName}`;
    add({
      ip,
      role: 'vip',
      owner: e.owner,
      cluster,
      entity: `vip ${mcOf(e.owner)} ${cluster}`,
      label: `the VIP of cluster ${cluster} (${e.owner.kind}) of management cluster ${e.owner.managementCluster ?? ''}`,
    });
  }
  for (const ec of inv.estate) {
    const cluster = `${ec.namespace}/${ec.name}`;
    for (const s of ec.services) {
      for (const x of s.ips) {
        const ip = canonical(x.value);
        if (ip && ip !== '0.0.0.0' && ip !== '::')
          add({
            ip,
            role: 'service',
            owner: s.owner,
            cluster,
            entity: `svc ${ec.managementCluster} ${cluster} ${s.namespace}/${s.name}`,
            label: `the load-balancer IP of ${ownerLabel(s.owner)}`,
          });
      }
    }
  }
  for (const n of inv.nodeAddresses) {
    const ip = canonical(n.address);
    if (!ip) continue;
    const where = n.cluster ?? `${mcOf(n.owner)} ${n.owner.namespace ?? ''}`;
    add({
      ip,
      role: 'node',
      owner: n.owner,
      cluster: n.cluster,
      entity: `node ${mcOf(n.owner)} ${where} ${n.node}`,
      label: `the ${n.type || 'node'} address of ${nodeLabel(n)}`,
    });
  }
  return out;
});

/** One subject's collisions: at most this many holders are named. */
export const HOLDERS_NAMED = 10;

/** "a, b and 3 more". */
export function named(holders: Holder[]): string {
  const shown = holders.slice(0, HOLDERS_NAMED).map((h) => h.label);
  const rest = holders.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}
