// duplicate-ip: two workload clusters share a VIP, a VIP equals a LoadBalancer Service IP, or
// (live) another management-cluster endpoint. ip-in-use: an IPAddress of another claim holds it.
import { canonical } from '../ip/addr';
import type { Finding } from '../types';
import type { AddressInfo, WorkloadCluster } from '../model/types';
import { type Rule, derive, finding, ipPlaces, related } from './context';

function ownsAddress(c: WorkloadCluster, a: AddressInfo, claimCluster: Map<string, string | undefined>): boolean {
  if (a.namespace !== c.namespace) return false;
  if (c.claimNames.includes(a.claimName)) return true;
  const owner = a.clusterName ?? claimCluster.get(`${a.namespace}/${a.claimName}`);
  return owner === c.name;
}

export const duplicateIp: Rule = ({ clusters, inventory }) => {
  const out: Finding[] = [];
  const byIp = new Map<string, WorkloadCluster[]>();
  for (const c of clusters) for (const ip of new Set(ipPlaces(c).map((p) => p.ip))) byIp.set(ip, [...(byIp.get(ip) ?? []), c]);
  const claimCluster = new Map(inventory.claims.map((k) => [`${k.namespace}/${k.name}`, k.clusterName]));

  for (const c of clusters) {
    const places = ipPlaces(c);
    const certSans = (c.certSans?.items ?? []).flatMap((s) => {
      const ip = !s.templated && canonical(s.value);
      return ip ? [derive(s, { ip, label: `certSANs[${s.index}]` })] : [];
    });
    for (const p of places) {
      for (const other of byIp.get(p.ip) ?? []) {
        if (other === c) continue;
        const at = other.places.find((q) => canonical(q.value) === p.ip);
        out.push(finding('duplicate-ip', 'error', p, `${p.ip} is also the VIP of cluster ${other.namespace}/${other.name}: two clusters would fight over the address.`, related(at, `VIP of cluster ${other.namespace}/${other.name}`)));
      }
      for (const s of inventory.services) {
        if (!s.ips.some((x) => canonical(x.value) === p.ip)) continue;
        const site = s.ips.find((x) => canonical(x.value) === p.ip)?.site ?? s.origin;
        out.push(finding('duplicate-ip', 'error', p, `${p.ip} is the load-balancer IP of Service ${s.namespace}/${s.name}.`, related(site, `Service ${s.namespace}/${s.name}`)));
      }
      for (const e of inventory.endpoints) {
        if (canonical(e.host) !== p.ip || (e.clusterName === c.name && e.namespace === c.namespace)) continue;
        if (clusters.some((k) => k.name === e.clusterName && k.namespace === e.namespace)) continue; // reported above from the files
        out.push(finding('duplicate-ip', 'error', p, `${p.ip} is the control-plane endpoint of cluster ${e.namespace}/${e.clusterName} (${e.kind}) in the management cluster.`));
      }
    }
    for (const p of [...places, ...certSans]) {
      for (const a of inventory.addresses) {
        if (canonical(a.address) !== p.ip || ownsAddress(c, a, claimCluster)) continue;
        const owner = a.clusterName ?? claimCluster.get(`${a.namespace}/${a.claimName}`);
        out.push(
          finding('ip-in-use', 'error', p,
            `${p.ip} is allocated to IPAddressClaim ${a.namespace}/${a.claimName}${owner ? ` of cluster ${owner}` : ''} (pool ${a.poolRef.kind} ${a.poolRef.name}).`,
            related(a.origin, `IPAddress ${a.namespace}/${a.name}`)),
        );
      }
    }
  }
  return out;
};
