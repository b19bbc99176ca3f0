// rollout-capacity: a node pool has too few addresses for a rolling update of the machines drawing
// from it (replicas + maxSurge at once, plus what a grace period keeps held). On the pool when
// rolling them all at once would not fit; on each KCP/MachineDeployment whose own rollout would not.
import { poolForecasts } from '../capacity';
import type { Finding } from '../types';
import { type RuleContext, finding, related } from './context';
import { poolLabel } from '../model/pools';
import { defineRule } from './rule';

const label = (r: { kind: string; namespace: string; name: string }) => `${r.kind} ${r.namespace}/${r.name}`;

export const rolloutCapacity = defineRule({
  code: 'rollout-capacity',
  severities: ['warning'],
  summary: "A node pool has too few free addresses for a rolling update of the machines drawing from it (replicas + maxSurge, plus the grace period's).",
  docs: `**warning** — a node pool has fewer free addresses than a rolling update of the machines drawing from it needs at
once: for the KubeadmControlPlane and each MachineDeployment whose machine template references the pool (or, for a
\`ProxmoxCluster\` node range or a Metal3 \`IPPool\` with \`clusterName\`, every rollout of that cluster),
\`replicas + maxSurge\` (CAPI's defaults: 1 replica, \`maxSurge\` 1; a percentage is rounded up; an \`OnDelete\`
MachineDeployment surges nothing; KCP's \`maxSurge\` is 0 or 1), plus, when the pool sets
\`addressReuseGracePeriodSeconds\`, the replaced machines' addresses, held until the grace period ends. Reported on the
pool when rolling them all at once would not fit, and on each rollout whose own rolling update would not; the Pools
view shows "free after a rollout".`,
  check: (ctx) => forecast(ctx),
});

function forecast({ inventory, clusters }: RuleContext): Finding[] {
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
}
