// A CodeLens above each Cluster: its VIP, the pool it lies in and whether a claim holds it —
// "VIP 10.10.0.20 · vip-pool · claimed" and "Release VIP" —, or "No VIP · Allocate from vip-pool (37 free)".
import { clusterVip } from '../model/clusterVip';
import { vipHolder } from '../model/controlPlanes';
import type { WorkloadCluster } from '../model/types';
import { rankPools } from '../ranking';
import type { Analysis } from '../workspace';
import type { Span } from '../types';
import { poolId } from './views';

export interface Lens {
  span: Span;
  title: string;
  /** Absent: the lens only informs (VS Code shows it unclickable). */
  action?: LensAction;
}

/** What clicking the lens does: the client's Release VIP or Allocate VIP, with these arguments. */
export type LensAction =
  { release: { claim: { namespace: string; name: string } } } | { allocate: { uri: string; cluster: { name: string; namespace: string }; poolId: string } };

export interface LensOptions {
  /** Connected and listed: allocation can run. */
  live: boolean;
  /** Why allocation cannot run now (the cluster is unreachable), if so. */
  blocked?: string;
  defaultPool: string;
}

const ref = (c: WorkloadCluster) => ({ name: c.name, namespace: c.namespace });

export function clusterLenses(a: Analysis, uri: string, opts: LensOptions): Lens[] {
  const out: Lens[] = [];
  for (const c of a.clusters) {
    const at = c.cluster ?? c.anchor;
    if (at.uri !== uri) continue;
    const span = { start: at.span.start, end: at.span.start };
    const vip = clusterVip(a, c);
    if (vip.address) {
      const facts = [`VIP ${vip.address}`, vip.pool?.name ?? 'in no known pool', vip.claim ? 'claimed' : vip.templated ? 'template' : 'no claim'];
      if (vip.disagree) facts.push('places disagree');
      const holder = vipHolder(c.places);
      if (holder) facts.push(`held by ${holder}`);
      out.push({ span, title: facts.join(' · ') });
      if (vip.claim && opts.live) out.push({ span, title: 'Release VIP', action: { release: { claim: vip.claim } } });
      continue;
    }
    if (vip.templated) {
      const holder = vipHolder(c.places);
      out.push({ span, title: `VIP from a template variable · not checked${holder ? ` · held by ${holder}` : ''}` });
      continue;
    }
    if (vip.held) {
      out.push({ span, title: `No VIP · IPAddressClaim ${vip.held.namespace}/${vip.held.name} holds ${vip.held.address} (the quick fix writes it back)` });
      continue;
    }
    out.push(noVipLens(a, c, uri, span, opts));
  }
  return out;
}

function noVipLens(a: Analysis, c: WorkloadCluster, uri: string, span: Span, opts: LensOptions): Lens {
  const live = opts.live && !opts.blocked;
  const best = rankPools(a, c, { defaultPool: opts.defaultPool, from: live ? 'live' : 'workspace' }).find((r) => r.usage.firstFree !== undefined);
  if (opts.blocked) return { span, title: 'No VIP · allocation waits for the management cluster (Retry Now in the status bar)' };
  if (!best) return { span, title: `No VIP · no pool with free addresses usable from namespace ${c.namespace}` };
  const free = best.usage.status.free < 0n ? 0n : best.usage.status.free;
  if (!live) return { span, title: `No VIP · next free in ${best.pool.name}: ${best.usage.firstFree} (offline: the quick fix writes it, nothing reserves it)` };
  return {
    span,
    title: `No VIP · Allocate from ${best.pool.name} (${free} free)`,
    action: { allocate: { uri, cluster: ref(c), poolId: poolId(best.pool) } },
  };
}
