// lb-ip-outside-range: a Service requests an IP the kube-vip cloud provider would never give it: outside
// the one pool its namespace draws from (cidr-<ns>, cidr-global, range-<ns>, range-global: first key wins).
import type { Addr } from '../ip/addr';
import { endsIn0Or255, providerPool } from '../ip/kubeVipPool';
import { type KubeVipConfig, activeKubeVip, isPoolKey, options, poolForNamespace, poolOf } from '../model/kubeVipConfig';
import type { Finding } from '../types';
import { type RuleContext, finding } from './context';
import { lbIpOutsidePool } from './lbIpOutsidePool';
import { requestedIps } from './lbServices';
import { defineRule } from './rule';
import { serviceProvider } from '../lbSources';

const inSets = (sets: { family: number; contains(v: bigint): boolean }[], a: Addr) => sets.some((s) => s.family === a.family && s.contains(a.value));

/** Why an address outside the namespace's pool is outside, in the provider's terms. */
function reason(c: KubeVipConfig, key: string, value: string, a: Addr): string {
  const pool = poolOf(c, c.values.get(key)!);
  if (inSets(pool.sets, a) && endsIn0Or255(a)) return ': the provider never hands out IPv4 addresses ending in .0 or .255';
  if (pool.mode === 'cidr' && options(c).skipEndIpsInCidr && inSets(providerPool(value).sets, a))
    return ': skip-end-ips-in-cidr drops the first and last address of each CIDR';
  const shadowed = [...c.values.values()].find((v) => v.key !== key && isPoolKey(v.key) && inSets(poolOf(c, v).sets, a));
  return shadowed ? `: ${shadowed.key} lists it, but the provider looks up ${key} first` : '';
}

export const lbIpOutsideRange = defineRule({
  code: 'lb-ip-outside-range',
  severities: ['warning'],
  summary: 'A LoadBalancer Service IP lies outside the ranges or pools the provider serving it would give it.',
  docs: `**warning** — the requested IP is not one the kube-vip cloud provider would give a Service of that
namespace. The provider takes the first of \`cidr-<ns>\`, \`cidr-global\`, \`range-<ns>\`, \`range-global\` (so a
\`cidr-global\` shadows a \`range-<ns>\`), drops the ends of each CIDR with \`skip-end-ips-in-cidr: "true"\`, and
never hands out IPv4 addresses ending in \`.0\` or \`.255\`; the message says which applies. A Service that MetalLB or
Cilium serves is checked against the pools that admit it instead: MetalLB's by \`serviceAllocation.namespaces\`,
\`serviceSelectors\` or the \`metallb.io/address-pool\` annotation, Cilium's enabled pools by \`serviceSelector\`; the
message says when a pool lists the address but does not admit the Service, is disabled, or holds a CIDR's first
or last address back (Cilium without \`allowFirstLastIPs: Yes\`, MetalLB's \`avoidBuggyIPs\`).`,
  check: (ctx) => [...kubeVipOutside(ctx), ...lbIpOutsidePool(ctx)],
});

function kubeVipOutside({ inventory }: RuleContext): Finding[] {
  const out: Finding[] = [];
  const c = activeKubeVip(inventory.kubeVipConfigs);
  if (!c) return out;
  for (const r of requestedIps(inventory)) {
    if (serviceProvider(inventory, r.service) !== 'kube-vip') continue; // MetalLB's and Cilium's: lb-ip-outside-range of lbIpOutsidePool
    const ns = r.service.namespace;
    const hit = poolForNamespace(c, ns);
    const cm = `ConfigMap ${c.namespace}/kubevip`;
    if (!hit) {
      out.push(
        finding(
          'lb-ip-outside-range',
          'warning',
          r.site,
          `${r.ip} is outside every kube-vip range: ${cm} has no cidr-${ns}, cidr-global, range-${ns} or range-global for namespace ${ns}.`,
        ),
      );
      continue;
    }
    const { value, pool } = hit;
    if (pool.error || pool.entries.some((e) => e.error)) continue; // invalid-lb-range says why the pool is unusable
    if (inSets(pool.sets, r.addr) && !endsIn0Or255(r.addr)) continue;
    out.push(
      finding(
        'lb-ip-outside-range',
        'warning',
        r.site,
        `${r.ip} is outside ${value.key} ${value.value}, the kube-vip range namespace ${ns} draws from${reason(c, value.key, value.value, r.addr)}.`,
      ),
    );
  }
  return out;
}
