// dns-mismatch: an endpoint written as a DNS name is not compared with the IP places; it must
// resolve to the VIP kube-vip holds. Resolved (trusted workspace, capiIpam.resolveHostnames):
// an error when the addresses miss the VIP; otherwise a hint saying what it must resolve to.
import { canonical } from '../ip/addr';
import type { VipPlace, WorkloadCluster } from '../model/types';
import { type Rule, finding, ipPlaces, isHostname, related } from './context';

const ENDPOINT_ROLES = new Set<VipPlace['role']>([
  'cluster-endpoint',
  'infra-endpoint',
  'kcp-endpoint',
  'topology-variable',
  'rke2-registration',
  'talos-endpoint',
]);
/** What holds the VIP on the control-plane nodes: kube-vip, Talos, keepalived. */
const HOLDER_ROLES = new Set<VipPlace['role']>(['kube-vip-address', 'kube-vip-vip_address', 'talos-vip', 'keepalived-vip']);

/** Endpoint places written as a host name. */
export function hostnamePlaces(c: WorkloadCluster): VipPlace[] {
  return c.places.filter((p) => ENDPOINT_ROLES.has(p.role) && !p.templated && isHostname(p.value));
}

export const dnsMismatch: Rule = ({ clusters, resolveHost }) =>
  clusters.flatMap((c) => {
    const hosts = hostnamePlaces(c);
    if (hosts.length === 0) return [];
    const ips = ipPlaces(c);
    const kubeVip = ips.filter((p) => HOLDER_ROLES.has(p.role) && !p.shadowed);
    const vips = kubeVip.length ? kubeVip : ips;
    if (vips.length === 0) return [];
    const vipText = [...new Set(vips.map((v) => v.ip))].join(' or ');
    const where = related(vips[0], vips[0]!.label);
    return hosts.flatMap((h) => {
      const r = resolveHost?.(h.value);
      if (r && 'addresses' in r) {
        if (r.addresses.some((a) => vips.some((v) => v.ip === canonical(a)))) return [];
        const got = r.addresses.length ? r.addresses.join(', ') : 'no address';
        return [
          finding(
            'dns-mismatch',
            'error',
            h,
            `${h.value} (${h.label}) resolves to ${got}, not to the VIP ${vipText} (${vips[0]!.label}): clients would reach another machine.`,
            where,
          ),
        ];
      }
      const why = r ? ` It did not resolve here (${r.error}).` : '';
      return [
        finding('dns-mismatch', 'hint', h, `${h.value} (${h.label}) is a DNS name: it must resolve to the VIP ${vipText} (${vips[0]!.label}).${why}`, where),
      ];
    });
  });
