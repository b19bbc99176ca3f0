// stale-certsan: an IP certSAN that is not the VIP but lies in an IPAM pool or in the VIP's
// subnet is most likely an old VIP left behind. (A list without the VIP is fine: kubeadm adds it.)
import { canonical, isLoopbackOrLinkLocal, parseAddr } from '../ip/addr';
import { type Rule, agreedVip, finding, poolLabel, poolsHolding } from './context';

export const staleCertSan: Rule = ({ clusters, inventory }) =>
  clusters.flatMap((c) => {
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
  });
