// Completion of free addresses in an endpoint host, a kube-vip address or a certSANs item.
import { nextFree } from '../ip/pool';
import { usedAddresses } from '../fixes';
import { poolLabel } from '../model/pools';
import { clusterVip } from '../model/clusterVip';
import { rankPools, roleSuffix } from '../ranking';
import type { Analysis } from '../workspace';
import type { Span } from '../types';

export interface AddressCompletion {
  address: string;
  detail: string;
  span: Span;
  sortText: string;
}

/** Pools in the order of `rankPools`; `defaultPool`: the `capiIpam.defaultPool` setting. */
export function completionsAt(a: Analysis, uri: string, offset: number, defaultPool = '', perPool = 5): AddressCompletion[] {
  const sites = a.clusters.flatMap((c) => [...c.places, ...(c.certSans?.items ?? [])].map((s) => ({ s, c })));
  const hit = sites.find(({ s }) => s.uri === uri && s.span.start <= offset && offset <= s.span.end);
  if (!hit) return [];
  const used = usedAddresses(
    a.clusters.filter((c) => c !== hit.c),
    a.inventory,
  );
  // The address the cluster's claim already holds first (a place was cleared), then each pool's next free ones.
  const claimed = clusterVip(a, hit.c).held;
  const held: AddressCompletion[] = claimed
    ? [{ address: claimed.address, detail: `held by IPAddressClaim ${claimed.namespace}/${claimed.name}`, span: hit.s.span, sortText: '!' }]
    : [];
  return held.concat(
    rankPools(a, hit.c, { defaultPool }).flatMap(({ pool: p, usage: u, role }, i) => {
      return nextFree(p.analysis, used, perPool).map((address, j) => ({
        address,
        detail: `${poolLabel(p)} · ${u.status.used}/${u.status.total} used${roleSuffix(role)}${p.origin ? ' · workspace pool (not reserved)' : ''}`,
        span: hit.s.span,
        sortText: `${String(i).padStart(3, '0')}-${String(j).padStart(3, '0')}`,
      }));
    }),
  );
}
