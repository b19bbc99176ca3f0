// stale-certsan: an IP certSAN that is not the VIP but lies in an IPAM pool or in the VIP's
// subnet is most likely an old VIP left behind. (A list without the VIP is fine: kubeadm adds it.)
import { canonical, isLoopbackOrLinkLocal, parseAddr } from '../ip/addr';
import { poolLabel, poolsHolding } from '../model/pools';
import { agreedVip } from '../model/vipPlaces';
import { defineRule } from './rule';
import { finding } from './context';

export const staleCertSan = defineRule({
  code: 'stale-certsan',
  severities: ['warning'],
  summary: "An IP certSAN that is not the VIP but lies in a pool or the VIP's subnet: probably an old VIP.",
  docs: `**warning** — kubeadm adds the endpoint to the API server certificate by itself, so a certSANs list without
the VIP is fine; but an IP certSAN that is not the VIP and lies in an IPAM pool or in the VIP's subnet is
most likely an old VIP left behind. Loopback and link-local certSANs are never reported. Quick fix:
*Replace stale certSAN with the VIP*, or *Remove stale certSAN* when the VIP is listed already.`,
  cluster: (c, { inventory }) => {
    const vip = agreedVip(c);
    const vipIp = vip && canonical(vip);
    if (!vipIp || !c.certSans) return [];
    const vipPools = poolsHolding(inventory, vipIp);
    return c.certSans.items.flatMap((s) => {
      const ip = !s.templated && canonical(s.value);
      if (!ip || ip === vipIp) return [];
      const a = parseAddr(ip);
      if (!a.ok || isLoopbackOrLinkLocal(a.value)) return [];
      const pools = poolsHolding(inventory, ip);
      const sameSubnet = vipPools.find((p) => p.analysis.subnet && a.value.value >= p.analysis.subnet.first && a.value.value <= p.analysis.subnet.last);
      if (pools.length === 0 && !sameSubnet) return [];
      const where = pools[0] ? `lies in ${poolLabel(pools[0])}` : `lies in the VIP's subnet (${poolLabel(sameSubnet!)})`;
      return [finding('stale-certsan', 'warning', s, `certSAN ${ip} is not the VIP ${vipIp} but ${where}: probably an old VIP left behind.`)];
    });
  },
  // Replace it with the VIP — unless the VIP is listed already: then writing it a second time is wrong, remove it.
  fixes: (_ctx, mine, c) => {
    const vip = c && agreedVip(c);
    if (!c || !vip || !c.certSans || mine.length === 0) return [];
    const listed = c.certSans.items.some((s) => !s.templated && canonical(s.value) === canonical(vip));
    return mine.flatMap((f) => {
      const site = c.certSans!.items.find((s) => s.uri === f.uri && s.span.start === f.span.start)!;
      if (!listed)
        return [
          {
            title: `Replace stale certSAN ${site.value} with the VIP ${vip}`,
            kind: 'quickfix' as const,
            resolves: [f],
            edits: site.rewrite(vip),
            preferred: true,
          },
        ];
      const edits = c.certSans!.remove(site.index);
      return edits.length
        ? [{ title: `Remove stale certSAN ${site.value} (the VIP ${vip} is listed already)`, kind: 'quickfix' as const, resolves: [f], edits, preferred: true }]
        : [];
    });
  },
});
