// rollout-capacity: a node pool has too few addresses for a rolling update of the machines drawing
// from it (replicas + maxSurge at once, plus what a grace period keeps held). On the pool when
// rolling them all at once would not fit; on each KCP/MachineDeployment whose own rollout would not.
import { poolForecasts } from '../capacity';
import type { Finding } from '../types';
import { type Rule, finding, poolLabel, related } from './context';

const label = (r: { kind: string; namespace: string; name: string }) => `${r.kind} ${r.namespace}/${r.name}`;

export const rolloutCapacity: Rule = ({ inventory, clusters }) => {
  const out: Finding[] = [];
  for (const f of poolForecasts(inventory, clusters)) {
    const grace =
      f.pool.graceSeconds && f.pool.graceSeconds > 0
        ? `, and addressReuseGracePeriodSeconds ${f.pool.graceSeconds} keeps each replaced machine's address held`
        : '';
    if (f.freeAfter < 0n && f.pool.origin) {
      const needs = f.rollouts.map((r) => `${label(r.rollout)} ${r.rollout.replicas}+${r.extra}`).join(', ');
      out.push(
        finding(
          'rollout-capacity',
          'warning',
          f.pool.origin,
          `${poolLabel(f.pool)} can give its machines ${f.available} address(es), but rolling them out at once needs ${f.available - f.freeAfter} (${needs}${grace}): new machines would wait for addresses.`,
          f.rollouts.flatMap((r) => related(r.rollout.origin, label(r.rollout))),
        ),
      );
    }
    for (const r of f.rollouts) {
      const need = f.steady + BigInt(r.extra);
      if (need <= f.available || !r.rollout.origin) continue;
      out.push(
        finding(
          'rollout-capacity',
          'warning',
          r.rollout.origin,
          `A rolling update of ${label(r.rollout)} needs ${need} address(es) of ${poolLabel(f.pool)} at once (its ${r.rollout.replicas} replicas + ${r.extra}, with ${f.steady - BigInt(r.rollout.replicas)} other machines${grace}), but the pool can give ${f.available}.`,
          related(f.pool.origin, poolLabel(f.pool)),
        ),
      );
    }
  }
  return out;
};
