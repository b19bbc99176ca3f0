// `capi-ipam pools`: the kube-vip cloud provider's pools next to the IPAM pools, counted as the provider does.
import { kubeVipUsage, activeKubeVip, type Inventory } from '../engine/index';

export interface KubeVipRow {
  kind: 'KubeVipRange';
  configMap: string;
  key: string;
  scope: string;
  value: string;
  total: string;
  used: string;
  free: string;
  firstFree?: string;
  errors: string[];
  users: string[];
}

export function kubeVipRows(inventory: Inventory): KubeVipRow[] {
  const c = activeKubeVip(inventory.kubeVipConfigs);
  if (!c) return [];
  return kubeVipUsage(inventory).map((u) => ({
    kind: 'KubeVipRange',
    configMap: `${c.namespace}/kubevip`,
    key: u.key,
    scope: u.scope,
    value: c.values.get(u.key)!.value,
    total: u.total.toString(),
    used: String(u.used),
    free: u.free.toString(),
    firstFree: u.firstFree,
    errors: u.errors,
    users: u.users.map((s) => `${s.namespace}/${s.name}`),
  }));
}

/** Table rows after a header, like the pools table; printable text only (ConfigMap values come from files or a cluster). */
export function kubeVipTable(rows: KubeVipRow[]): string[][] {
  const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return [
    ['KUBE-VIP KEY', 'SCOPE', 'VALUE', 'TOTAL', 'FREE', 'USED', 'FIRST FREE'],
    ...rows.map((r) =>
      [r.key, r.scope, JSON.stringify(r.value), r.total, r.free, r.used, r.firstFree ?? (r.errors.length ? 'invalid' : 'exhausted')].map(clean),
    ),
  ];
}
