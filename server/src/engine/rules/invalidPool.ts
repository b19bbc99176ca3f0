// invalid-pool: what the provider's webhook rejects (in its words), and what it accepts but
// should not: overlapping pools, gateway outside the subnet, nothing allocatable, `excludeAddresses`.
import type { Finding, Location, Span } from '../types';
import type { PoolInfo } from '../model/types';
import type { PoolProblem } from '../ip/pool';
import { poolLabel } from '../model/pools';
import { RELATED_CAP, finding, related, someOf } from './context';
import { poolOverlaps } from './poolOverlaps';
import { defineRule } from './rule';

function at(pool: PoolInfo, problem: PoolProblem): Location {
  const o = pool.origin!;
  let span: Span | undefined;
  const listed = ['spec.addresses', 'spec.prefixes', 'spec.pools'].includes(problem.field);
  if (listed && problem.index !== undefined) span = o.addresses[problem.index];
  else if ((problem.field === 'spec.excludedAddresses' || problem.field === 'spec.excludedPrefixes') && problem.index !== undefined)
    span = o.excludedAddresses[problem.index];
  else if (problem.field === 'spec.gateway') span = o.gateway;
  else if (problem.field === 'spec.prefix') span = o.prefix;
  else span = o.fields?.[problem.field];
  return { uri: o.uri, span: span ?? o.span };
}

const identity = (p: PoolInfo) => `${p.kind}/${p.namespace ?? ''}/${p.name}`;

export const invalidPool = defineRule({
  code: 'invalid-pool',
  severities: ['error', 'warning'],
  summary: "A pool the provider's webhook rejects, or a pool mistake it accepts (overlaps, gateway outside the subnet, the excludeAddresses typo).",
  docs: `**error/warning** — an \`InClusterIPPool\`/\`GlobalInClusterIPPool\` the provider's webhook would reject
(with the provider's own message), and warnings for what it does not check: overlapping pools, a gateway
outside the subnet, an empty allocatable set, the \`excludeAddresses\` typo (quick fix: *Rename to \`excludedAddresses\`*). A pool with templated fields
(\`addresses: \${SECONDARY_IP_RANGES}\`) is unknown until rendered: neither checked nor used.`,
  check: ({ inventory }) => {
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
        out.push(
          finding(
            'invalid-pool',
            'warning',
            { uri: p.origin!.uri, span: p.origin!.excludeTypo },
            '`excludeAddresses` is not a field of the pool: the API server rejects it under strict validation or silently drops it. Did you mean `excludedAddresses`?',
          ),
        );
      }
    }
    for (const { pool: self, partner: other, group } of poolOverlaps(inventory.pools)) {
      // A live pool that replaces a workspace document is reported at that document.
      const origin = self.origin ?? documents.get(identity(self));
      if (!origin) continue;
      const common = self.analysis.allocatable.intersect(other.analysis.allocatable);
      const rest = group.filter((p) => p !== self && p !== other);
      const more = rest.length
        ? ` It is one of ${group.length} pools linked by overlaps: ${someOf(rest.slice(0, RELATED_CAP).map(poolLabel), rest.length)}.`
        : '';
      out.push(
        finding(
          'invalid-pool',
          'warning',
          origin,
          `${poolLabel(self)} overlaps ${poolLabel(other)} (${common.size()} addresses, e.g. ${common.describe(2).join(', ')}): the provider hands out the same address from both.${more}`,
          [other, ...rest.slice(0, RELATED_CAP - 1)].flatMap((p) => related(p.origin ?? documents.get(identity(p)), poolLabel(p))),
        ),
      );
    }
    return out;
  },
  // `excludeAddresses` → `excludedAddresses` (unless the right key is there too: a rename would duplicate it).
  fixes: ({ inventory }, mine) =>
    (inventory.declaredPools ?? inventory.pools).flatMap((p) => {
      const typo = p.origin?.excludeTypo;
      if (!typo || p.origin!.excludedKey) return [];
      const at = mine.filter((f) => f.uri === p.origin!.uri && f.span.start === typo.start && f.span.end === typo.end);
      if (at.length === 0) return [];
      return [
        {
          title: 'Rename to `excludedAddresses`',
          kind: 'quickfix',
          resolves: at,
          edits: [{ uri: p.origin!.uri, span: typo, newText: 'excludedAddresses' }],
          preferred: true,
        },
      ];
    }),
});
