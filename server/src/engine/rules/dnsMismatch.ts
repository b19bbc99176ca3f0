// dns-mismatch: an endpoint written as a DNS name is not compared with the IP places; it must
// resolve to the VIP kube-vip holds. Resolved (trusted workspace, capiIpam.resolveHostnames):
// an error when the addresses miss the VIP; otherwise a hint saying what it must resolve to.
import { canonical } from '../ip/addr';
import { HOLDER_ROLES, hostnamePlaces, ipPlaces } from '../model/vipPlaces';
import { defineRule } from './rule';
import { finding, related } from './context';

export const dnsMismatch = defineRule({
  code: 'dns-mismatch',
  severities: ['error', 'hint'],
  summary: 'The endpoint host name does not resolve to the kube-vip VIP.',
  docs: `**error/hint** — an endpoint host written as a DNS name (\`api.lab.local\`) is not compared with the IP places;
it must resolve to the VIP kube-vip holds. In a trusted workspace with \`capiIpam.resolveHostnames\` (and in the
CLI unless \`--no-resolve\`) the name is resolved — cached, 1 s timeout, in the background, never on the
keystroke path: **error** when its addresses do not include the kube-vip address, nothing when they do. Otherwise,
or when it does not resolve, a **hint** says which address it must resolve to.`,
  cluster: (c, { resolveHost }) => {
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
  },
});
