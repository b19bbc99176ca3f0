// invalid-pool: what the provider's webhook rejects (in its words), and what it accepts but
// should not: overlapping pools, gateway outside the subnet, nothing allocatable, `excludeAddresses`.
import type { Finding, Location, Span } from '../types';
import type { PoolInfo } from '../model/types';
import type { PoolProblem } from '../ip/pool';
import { type Rule, finding, poolLabel, related } from './context';

function at(pool: PoolInfo, problem: PoolProblem): Location {
  const o = pool.origin!;
  let span: Span | undefined;
  if (problem.field === 'spec.addresses' && problem.index !== undefined) span = o.addresses[problem.index];
  else if (problem.field === 'spec.excludedAddresses' && problem.index !== undefined) span = o.excludedAddresses[problem.index];
  else if (problem.field === 'spec.gateway') span = o.gateway;
  else if (problem.field === 'spec.prefix') span = o.prefix;
  return { uri: o.uri, span: span ?? o.span };
}

/** Pools that can hand out the same address: namespaced ones in one namespace, global ones with everything. */
function mayCollide(a: PoolInfo, b: PoolInfo): boolean {
  return a.kind === 'GlobalInClusterIPPool' || b.kind === 'GlobalInClusterIPPool' || a.namespace === b.namespace;
}

const identity = (p: PoolInfo) => `${p.kind}/${p.namespace ?? ''}/${p.name}`;

export const invalidPool: Rule = ({ inventory }) => {
  const out: Finding[] = [];
  // Every pool document of the workspace, also one the live pool of the same name replaces.
  const pools = inventory.declaredPools ?? inventory.pools.filter((p) => p.origin);
  const documents = new Map(pools.map((p) => [identity(p), p.origin]));
  for (const p of pools) {
    for (const e of p.analysis.errors) {
      const value = e.index !== undefined ? ` "${e.value}"` : '';
      out.push(finding('invalid-pool', 'error', at(p, e), `${e.field}${value}: ${e.message}`));
    }
    for (const w of p.analysis.warnings) out.push(finding('invalid-pool', 'warning', at(p, w), w.message));
    if (p.origin!.excludeTypo) {
      out.push(finding('invalid-pool', 'warning', { uri: p.origin!.uri, span: p.origin!.excludeTypo }, '`excludeAddresses` is not a field of the pool: the API server rejects it under strict validation or silently drops it. Did you mean `excludedAddresses`?'));
    }
  }
  const valid = inventory.pools.filter((p) => p.analysis.errors.length === 0 && p.analysis.family !== undefined);
  for (let i = 0; i < valid.length; i++) {
    for (let j = i + 1; j < valid.length; j++) {
      const a = valid[i]!;
      const b = valid[j]!;
      if (a.analysis.family !== b.analysis.family || !mayCollide(a, b)) continue;
      const common = a.analysis.allocatable.intersect(b.analysis.allocatable);
      if (common.isEmpty) continue;
      const sample = common.describe(2).join(', ');
      for (const [self, other] of [[a, b], [b, a]] as const) {
        const origin = self.origin ?? documents.get(identity(self));
        if (!origin) continue;
        out.push(finding('invalid-pool', 'warning', origin, `${poolLabel(self)} overlaps ${poolLabel(other)} (${common.size()} addresses, e.g. ${sample}): the provider hands out the same address from both.`, related(other.origin ?? documents.get(identity(other)), poolLabel(other))));
      }
    }
  }
  return out;
};
