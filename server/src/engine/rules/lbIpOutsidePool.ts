// lb-ip-outside-range for MetalLB and Cilium LB-IPAM: a Service asks for an address no pool of the
// provider that serves it would give it (outside every pool, or only in pools its namespace, labels
// or annotation do not admit, or a disabled one).
import { PROVIDER_NAMES, lbPoolHolds, lbPoolLabel, poolsForService, serviceProvider } from '../lbSources';
import type { Finding } from '../types';
import { type RuleContext, finding } from './context';
import { inEntry } from '../model/pools';
import { someOf } from './context';
import { requestedIps, serviceLabel } from './lbServices';

/** lb-ip-outside-range's MetalLB and Cilium half (rules/lbIpOutsideRange.ts is the rule). */
export function lbIpOutsidePool({ inventory }: RuleContext): Finding[] {
  const out: Finding[] = [];
  if (inventory.lbPools.length === 0) return out;
  for (const r of requestedIps(inventory)) {
    const provider = serviceProvider(inventory, r.service);
    if (provider !== 'metallb' && provider !== 'cilium') continue;
    const mine = poolsForService(inventory, r.service, provider);
    if (mine.some((p) => lbPoolHolds(p, r.addr))) continue;
    const holding = inventory.lbPools.filter((p) => p.provider === provider && lbPoolHolds(p, r.addr));
    const listing = mine.filter((p) => p.entries.some((e) => inEntry(e.text, r.ip)));
    let why = mine.length ? ` (${someOf(mine.map(lbPoolLabel), mine.length)})` : '';
    if (listing.length)
      why = `: ${lbPoolLabel(listing[0]!)} lists it, but ${
        provider === 'cilium'
          ? 'Cilium never hands out the first and last address of a CIDR block unless allowFirstLastIPs is Yes'
          : 'with avoidBuggyIPs MetalLB never hands out an address ending in .0 or .255'
      }`;
    else if (holding.some((p) => p.disabled)) why = `: ${lbPoolLabel(holding.find((p) => p.disabled)!)} holds it, but it is disabled`;
    else if (holding.length)
      why = `: ${someOf(holding.map(lbPoolLabel), holding.length)} ${holding.length === 1 ? 'holds' : 'hold'} it, but does not admit ${serviceLabel(r.service)} (${provider === 'metallb' ? 'serviceAllocation or the address-pool annotation' : 'serviceSelector'})`;
    out.push(
      finding(
        'lb-ip-outside-range',
        'warning',
        r.site,
        `${r.ip} is outside every ${PROVIDER_NAMES[provider]} pool ${serviceLabel(r.service)} may draw from${why}.`,
      ),
    );
  }
  return out;
}
