// duplicate-ip: two workload clusters share a VIP, a VIP equals a LoadBalancer Service IP, or
// (live) another management-cluster endpoint. ip-in-use: an IPAddress of another claim holds it.
// One finding per cluster and address, at its main place (the others are related information);
// every lookup goes through an index by address, so N clusters sharing a VIP cost O(N), not O(N²).
import { canonical } from '../ip/addr';
import type { Finding, Location, RelatedInfo } from '../types';
import type { AddressInfo, WorkloadCluster } from '../model/types';
import { RELATED_CAP, type Rule, alsoAt, finding, related, someOf, vipGroups } from './context';

function ownsAddress(c: WorkloadCluster, a: AddressInfo, claimCluster: Map<string, string | undefined>): boolean {
  if (a.namespace !== c.namespace) return false;
  if (c.claimNames.includes(a.claimName)) return true;
  const owner = a.clusterName ?? claimCluster.get(`${a.namespace}/${a.claimName}`);
  return owner === c.name;
}

function indexBy<T>(items: Iterable<T>, keys: (item: T) => (string | undefined)[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const k of new Set(keys(item))) {
      if (!k) continue;
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
  }
  return out;
}

/** The clusters other than `c` that hold `ip`: the first RELATED_CAP of them, and how many in all. */
function othersHolding(holders: WorkloadCluster[], c: WorkloadCluster): { shown: WorkloadCluster[]; total: number } {
  const shown: WorkloadCluster[] = [];
  for (const o of holders) {
    if (shown.length === RELATED_CAP) break;
    if (o !== c) shown.push(o);
  }
  return { shown, total: holders.length - 1 };
}

export const duplicateIp: Rule = ({ clusters, inventory }) => {
  const out: Finding[] = [];
  const byIp = indexBy(clusters, (c) => vipGroups(c).map((g) => g.ip));
  const services = indexBy(inventory.services, (s) => s.ips.map((x) => canonical(x.value)));
  const endpoints = indexBy(inventory.endpoints, (e) => [canonical(e.host)]);
  const addresses = indexBy(inventory.addresses, (a) => [canonical(a.address)]);
  const inFiles = new Set(clusters.map((k) => `${k.namespace}/${k.name}`));
  const claimCluster = new Map(inventory.claims.map((k) => [`${k.namespace}/${k.name}`, k.clusterName]));

  for (const c of clusters) {
    const groups = vipGroups(c);
    for (const g of groups) {
      const same = alsoAt(g);
      const { shown, total } = othersHolding(byIp.get(g.ip) ?? [], c);
      if (total > 0) {
        const name = (o: WorkloadCluster) => `${o.namespace}/${o.name}`;
        const message =
          total === 1
            ? `${g.ip} is also the VIP of cluster ${name(shown[0]!)}: two clusters would fight over the address.`
            : `${g.ip} is also the VIP of ${total} other clusters (${someOf(shown.map(name), total)}): they would all fight over the address.`;
        const theirs: RelatedInfo[] = shown.flatMap((o) => related(vipGroups(o).find((x) => x.ip === g.ip)?.at, `VIP of cluster ${name(o)}`));
        out.push(finding('duplicate-ip', 'error', g.at, message, [...theirs, ...same]));
      }
      for (const s of services.get(g.ip) ?? []) {
        const site = s.ips.find((x) => canonical(x.value) === g.ip)?.site ?? s.origin;
        out.push(
          finding('duplicate-ip', 'error', g.at, `${g.ip} is the load-balancer IP of Service ${s.namespace}/${s.name}.`, [
            ...related(site, `Service ${s.namespace}/${s.name}`),
            ...same,
          ]),
        );
      }
      for (const e of endpoints.get(g.ip) ?? []) {
        if (e.clusterName === c.name && e.namespace === c.namespace) continue;
        if (inFiles.has(`${e.namespace}/${e.clusterName}`)) continue; // reported above from the files
        out.push(
          finding(
            'duplicate-ip',
            'error',
            g.at,
            `${g.ip} is the control-plane endpoint of cluster ${e.namespace}/${e.clusterName} (${e.kind}) in the management cluster.`,
            same,
          ),
        );
      }
    }
    // ip-in-use: a VIP (at its main place) and each certSAN that is not a VIP, once per address.
    const sites: { ip: string; at: Location; same: RelatedInfo[] }[] = groups.map((g) => ({ ip: g.ip, at: g.at, same: alsoAt(g) }));
    const vips = new Set(groups.map((g) => g.ip));
    for (const s of c.certSans?.items ?? []) {
      const ip = !s.templated && canonical(s.value);
      if (ip && !vips.has(ip)) sites.push({ ip, at: s, same: [] });
    }
    for (const { ip, at, same } of sites) {
      for (const a of addresses.get(ip) ?? []) {
        if (ownsAddress(c, a, claimCluster)) continue;
        const owner = a.clusterName ?? claimCluster.get(`${a.namespace}/${a.claimName}`);
        out.push(
          finding(
            'ip-in-use',
            'error',
            at,
            `${ip} is allocated to IPAddressClaim ${a.namespace}/${a.claimName}${owner ? ` of cluster ${owner}` : ''} (pool ${a.poolRef.kind} ${a.poolRef.name}).`,
            [...related(a.origin, `IPAddress ${a.namespace}/${a.name}`), ...same],
          ),
        );
      }
    }
  }
  return out;
};
