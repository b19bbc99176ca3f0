// lb-ip-conflict: a Service's requested IP is also another Service's (unless the provider lets
// them share it), a cluster's VIP, or an address the IPAM provider allocated.
import { canonical } from '../ip/addr';
import { activeKubeVip, allowShare, mayShare } from '../model/kubeVipConfig';
import type { LbServiceInfo } from '../model/types';
import type { Finding } from '../types';
import { ipPlaces } from '../model/vipPlaces';
import { finding, related } from './context';
import { requestedIps, serviceLabel } from './lbServices';
import { defineRule } from './rule';

export const lbIpConflict = defineRule({
  code: 'lb-ip-conflict',
  severities: ['error'],
  summary: "A LoadBalancer Service IP is also another Service's IP, a cluster VIP or an allocated IPAM address.",
  docs: `**error** — a LoadBalancer Service's requested IP (annotation \`kube-vip.io/loadbalancerIPs\`, else
\`spec.loadBalancerIP\`) is also another Service's IP, a cluster's control-plane VIP (workspace or live), or an
address the IPAM provider allocated (\`IPAddress\`). Two Services may share an IPv4 address as the kube-vip
cloud provider allows it: \`allow-share-<ns>\`/\`allow-share-global\` true for both namespaces, and both
Services list ports, none in common.`,
  check: ({ clusters, inventory }) => {
    const out: Finding[] = [];
    const config = activeKubeVip(inventory.kubeVipConfigs);
    const vips = clusters.flatMap((c) => ipPlaces(c).map((p) => ({ c, p })));
    const claimCluster = new Map(inventory.claims.map((k) => [`${k.namespace}/${k.name}`, k.clusterName]));
    // Services by address, so that many Services stay linear.
    const byIp = new Map<string, { other: LbServiceInfo; hit: LbServiceInfo['ips'][number] }[]>();
    for (const other of inventory.services) {
      for (const x of other.ips) {
        const ip = canonical(x.value);
        if (!ip) continue;
        const list = byIp.get(ip) ?? byIp.set(ip, []).get(ip)!;
        if (list.at(-1)?.other !== other) list.push({ other, hit: x });
      }
    }
    for (const r of requestedIps(inventory)) {
      const s = r.service;
      for (const { other, hit } of byIp.get(r.ip) ?? []) {
        if (other === s || (other.namespace === s.namespace && other.name === s.name)) continue;
        if (mayShare(config, r, other)) continue;
        const why =
          r.addr.family === 4 && config && allowShare(config, s.namespace)
            ? ' (sharing needs allow-share for both namespaces and ports on both Services that do not overlap)'
            : '';
        out.push(
          finding(
            'lb-ip-conflict',
            'error',
            r.site,
            `${r.ip} is also the load-balancer IP of ${serviceLabel(other)}${why}.`,
            related(hit.site ?? other.origin, serviceLabel(other)),
          ),
        );
      }
      const seen = new Set<string>();
      for (const { c, p } of vips) {
        if (p.ip !== r.ip || seen.has(`${c.namespace}/${c.name}`)) continue;
        seen.add(`${c.namespace}/${c.name}`);
        out.push(
          finding(
            'lb-ip-conflict',
            'error',
            r.site,
            `${r.ip} is also the control-plane VIP of cluster ${c.namespace}/${c.name}: kube-vip would announce it for both.`,
            related(p, `VIP of cluster ${c.namespace}/${c.name}`),
          ),
        );
      }
      for (const e of inventory.endpoints) {
        if (canonical(e.host) !== r.ip || seen.has(`${e.namespace}/${e.clusterName}`)) continue;
        seen.add(`${e.namespace}/${e.clusterName}`);
        out.push(
          finding(
            'lb-ip-conflict',
            'error',
            r.site,
            `${r.ip} is also the control-plane endpoint of cluster ${e.namespace}/${e.clusterName} (${e.kind}) in the management cluster.`,
          ),
        );
      }
      for (const a of inventory.addresses) {
        if (canonical(a.address) !== r.ip) continue;
        const owner = a.clusterName ?? claimCluster.get(`${a.namespace}/${a.claimName}`);
        out.push(
          finding(
            'lb-ip-conflict',
            'error',
            r.site,
            `${r.ip} is allocated from IPAM pool ${a.poolRef.kind} ${a.poolRef.name} to IPAddressClaim ${a.namespace}/${a.claimName}${owner ? ` of cluster ${owner}` : ''}.`,
            related(a.origin, `IPAddress ${a.namespace}/${a.name}`),
          ),
        );
      }
    }
    return out;
  },
});
