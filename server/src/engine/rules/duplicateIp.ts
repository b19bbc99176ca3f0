// duplicate-ip: two workload clusters share a VIP, a VIP equals a LoadBalancer Service IP, or
// (live) another management-cluster endpoint. One finding per cluster and address, at its main place
// (the others are related information); every lookup goes through an index by address, so N clusters
// sharing a VIP cost O(N), not O(N²).
import { canonical } from '../ip/addr';
import type { Finding, RelatedInfo } from '../types';
import type { WorkloadCluster } from '../model/types';
import { vipGroups } from '../model/vipPlaces';
import { defineRule } from './rule';
import { RELATED_CAP, alsoAt, finding, indexBy, related, someOf } from './context';
import { claimOwners } from './ipInUse';

/**
 * The clusters other than `c` that hold `ip`, but those whose claim holds it (ip-in-use reports that
 * clash for `c`, naming the claim): the first RELATED_CAP of them, and how many in all.
 */
function othersHolding(holders: WorkloadCluster[], c: WorkloadCluster, claimed: Set<string>): { shown: WorkloadCluster[]; total: number } {
  const shown: WorkloadCluster[] = [];
  let total = 0;
  const id = (o: WorkloadCluster) => `${o.namespace}/${o.name}`;
  const mine = claimed.has(id(c));
  for (const o of holders) {
    if (o === c || (!mine && claimed.has(id(o)))) continue;
    total++;
    if (shown.length < RELATED_CAP) shown.push(o);
  }
  return { shown, total };
}

export const duplicateIp = defineRule({
  code: 'duplicate-ip',
  severities: ['error'],
  summary: 'Two clusters share a VIP, or a VIP equals a LoadBalancer Service IP.',
  docs: `**error** — two workload clusters share a VIP, or a VIP equals a LoadBalancer Service IP (declared in the
workspace, or live).`,
  check: ({ clusters, inventory }) => {
    const out: Finding[] = [];
    const byIp = indexBy(clusters, (c) => vipGroups(c).map((g) => g.ip));
    const services = indexBy(inventory.services, (s) => s.ips.map((x) => canonical(x.value)));
    const endpoints = indexBy(inventory.endpoints, (e) => [canonical(e.host)]);
    const inFiles = new Set(clusters.map((k) => `${k.namespace}/${k.name}`));
    for (const c of clusters) {
      for (const g of vipGroups(c)) {
        const same = alsoAt(g);
        const claimed = claimOwners(inventory, g.ip);
        const { shown, total } = othersHolding(byIp.get(g.ip) ?? [], c, claimed);
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
          if (claimed.has(`${e.namespace}/${e.clusterName}`) && !claimed.has(`${c.namespace}/${c.name}`)) continue; // ip-in-use names its claim
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
    }
    return out;
  },
  resolvedByNewAddress: true,
});
