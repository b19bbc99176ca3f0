// What the Estate view shows of one workload cluster (protocol.ts EstateWorkloadCluster without its
// connection): the VIP and the node holding it, the nodes with their addresses (Machine and Node
// joined by node name), the LoadBalancer Services and the kube-vip ranges with their usage.
import { canonical, parseAddr } from '../ip/addr';
import { handOutCount } from '../ip/kubeVipPool';
import { RangeSet } from '../ip/range-set';
import { perObject } from '../memo';
import { isPoolKey, poolOf } from '../model/kubeVipConfig';
import type { EstateCluster, Inventory, NodeAddressInfo } from '../model/types';

export interface EstateClusterData {
  vip?: { address: string; source: string; holder?: string };
  nodes: { name: string; machine?: string; addresses: { type: string; address: string }[]; from: ('Machine' | 'Node')[] }[];
  services: { namespace: string; name: string; ips: string[] }[];
  kubeVipRanges: { key: string; scope: string; entry: string; size: string; used: string; error?: string }[];
}

const byCluster: (inv: Inventory) => Map<string, NodeAddressInfo[]> = perObject((inv: Inventory) => {
  const out = new Map<string, NodeAddressInfo[]>();
  for (const n of inv.nodeAddresses) {
    const k = `${n.owner.managementCluster ?? ''} ${n.cluster ?? ''}`;
    out.set(k, [...(out.get(k) ?? []), n]);
  }
  return out;
});

const byName = <T extends { name: string; namespace?: string }>(a: T, b: T) =>
  (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);

export function estateClusterData(ec: EstateCluster, inventory: Inventory): EstateClusterData {
  const nodes = new Map<string, EstateClusterData['nodes'][number]>();
  for (const n of byCluster(inventory).get(`${ec.managementCluster} ${ec.namespace}/${ec.name}`) ?? []) {
    const node = nodes.get(n.node) ?? nodes.set(n.node, { name: n.node, addresses: [], from: [] }).get(n.node)!;
    const kind = n.owner.kind as 'Machine' | 'Node';
    if (kind === 'Machine') node.machine = `${n.owner.namespace ?? 'default'}/${n.owner.name}`;
    if (!node.from.includes(kind)) node.from.push(kind);
    if (!node.addresses.some((a) => a.type === n.type && a.address === n.address)) node.addresses.push({ type: n.type, address: n.address });
  }
  const services = ec.services
    .map((s) => ({ namespace: s.namespace, name: s.name, ips: [...new Set(s.ips.map((x) => canonical(x.value) ?? x.value))] }))
    .sort(byName);
  const kubeVipRanges: EstateClusterData['kubeVipRanges'] = [];
  const c = ec.kubeVipConfig;
  if (c) {
    const used = services.flatMap((s) =>
      s.ips.flatMap((ip) => {
        const a = parseAddr(ip);
        return a.ok ? [a.value] : [];
      }),
    );
    for (const v of c.values.values()) {
      if (!isPoolKey(v.key)) continue;
      const pool = poolOf(c, v);
      const scope = v.key.replace(/^(cidr|range)-/, '');
      for (const e of pool.entries) {
        if (e.text === '') continue;
        const set = e.family === undefined ? undefined : RangeSet.of(e.family, [[e.first!, e.last!]]);
        const n = set ? used.filter((a) => a.family === set.family && set.contains(a.value)).length : 0;
        kubeVipRanges.push({
          key: v.key,
          scope,
          entry: e.text,
          size: set ? handOutCount(set).toString() : '0',
          used: String(n),
          ...(e.error || pool.error ? { error: e.error ?? pool.error } : {}),
        });
      }
    }
  }
  const e = ec.endpoint;
  const vip = e && {
    address: e.host,
    source: `${e.kind} ${e.namespace}/${e.kind === 'Cluster' ? e.clusterName : (e.owner?.name ?? e.clusterName)} .spec.controlPlaneEndpoint.host`,
    ...(ec.vipHolder ? { holder: ec.vipHolder } : {}),
  };
  return { ...(vip ? { vip } : {}), nodes: [...nodes.values()].sort(byName), services, kubeVipRanges };
}
