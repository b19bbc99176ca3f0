// Completion of free addresses in an endpoint host, a kube-vip address or a certSANs item.
import { nextFree } from '../engine/ip/pool';
import { usedAddresses } from '../engine/fixes';
import { poolLabel } from '../engine/rules/context';
import { poolUsage } from '../engine/usage';
import type { Analysis } from '../engine/workspace';
import type { Span } from '../engine/types';

export interface AddressCompletion {
  address: string;
  detail: string;
  span: Span;
  sortText: string;
}

/** `preferred`: the pool offered first when the cluster names none (the `capiIpam.defaultPool` setting). */
export function completionsAt(a: Analysis, uri: string, offset: number, preferred = '', perPool = 5): AddressCompletion[] {
  const sites = a.clusters.flatMap((c) => [...c.places, ...(c.certSans?.items ?? [])].map((s) => ({ s, c })));
  const hit = sites.find(({ s }) => s.uri === uri && s.span.start <= offset && offset <= s.span.end);
  if (!hit) return [];
  const used = usedAddresses(a.clusters.filter((c) => c !== hit.c), a.inventory);
  const pools = a.inventory.pools.filter((p) => p.analysis.errors.length === 0 && (p.namespace === undefined || p.namespace === hit.c.namespace));
  const hint = hit.c.poolHint || preferred;
  const first = (p: { name: string; namespace?: string }) => Number(!!hint && (p.name === hint || `${p.namespace}/${p.name}` === hint));
  const ordered = [...pools].sort((x, y) => first(y) - first(x));
  return ordered.flatMap((p, i) => {
    const u = poolUsage(p, a.inventory, a.clusters);
    return nextFree(p.analysis, used, perPool).map((address, j) => ({
      address,
      detail: `${poolLabel(p)} · ${u.status.used}/${u.status.total} used${p.origin ? ' · workspace pool (not reserved)' : ''}`,
      span: hit.s.span,
      sortText: `${String(i).padStart(3, '0')}-${String(j).padStart(3, '0')}`,
    }));
  });
}
