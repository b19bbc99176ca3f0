// The capacity forecast of node pools (issue 23): what a rolling update of the machines drawing from
// a pool needs at once, against what the pool can give them. A KCP or MachineDeployment draws from
// a pool when its machine template references it (addressesFromPools and the like), or, for a
// ProxmoxCluster node range or a Metal3 IPPool with `clusterName`, when it belongs to that cluster.
import { perObject } from './memo';
import type { Inventory, PoolInfo, RolloutInfo, WorkloadCluster } from './model/types';
import { poolRoles } from './ranking';
import { poolUsage } from './features/usage';

export interface RolloutNeed {
  rollout: RolloutInfo;
  /** Addresses held beyond its replicas while it rolls: maxSurge, or, with a grace period, every replaced machine's. */
  extra: number;
}

export interface PoolForecast {
  pool: PoolInfo;
  rollouts: RolloutNeed[];
  /** What the pool can give these rollouts: its allocatable addresses less those other users hold. */
  available: bigint;
  /** The rollouts' machines at rest (Σ replicas). */
  steady: bigint;
  /** Free addresses left if every rollout surges at once (an upgrade rolls them all); negative: it would not fit. */
  freeAfter: bigint;
}

/** Extra addresses during a rollout: maxSurge; with a grace period the replaced machines' addresses stay held too (up to every replica). */
export function extraOf(r: RolloutInfo, graceSeconds: number | undefined): number {
  return graceSeconds && graceSeconds > 0 ? Math.max(r.replicas, r.maxSurge) : r.maxSurge;
}

function draws(inventory: Inventory, pool: PoolInfo, r: RolloutInfo): boolean {
  if (pool.namespace !== undefined && pool.namespace !== r.namespace) return false;
  if (pool.source?.cluster && r.clusterName === pool.source.cluster) return true;
  return (inventory.nodePools ?? []).some(
    (ref) =>
      ref.kind === pool.kind &&
      ref.name === pool.name &&
      ref.namespace === pool.namespace &&
      ref.template !== undefined &&
      ref.template.kind === r.template?.kind &&
      ref.template.name === r.template.name,
  );
}

/** One forecast per node pool that rollouts draw from (made once per inventory, i.e. per analysis). */
export const poolForecasts: (inventory: Inventory, clusters: WorkloadCluster[]) => PoolForecast[] = perObject(
  (inventory: Inventory, clusters: WorkloadCluster[]) => {
    const roles = poolRoles(inventory, clusters);
    const out: PoolForecast[] = [];
    for (const pool of inventory.pools) {
      if (roles.get(pool) !== 'node' || pool.analysis.errors.length > 0 || pool.source?.managedBy || pool.source?.allocationPrefixLength) continue;
      const rollouts = inventory.rollouts.filter((r) => draws(inventory, pool, r)).map((rollout) => ({ rollout, extra: extraOf(rollout, pool.graceSeconds) }));
      if (rollouts.length === 0) continue;
      const theirs = new Set(rollouts.flatMap((r) => r.rollout.clusterName ?? []));
      const others = poolUsage(pool, inventory, clusters).users.filter((u) => !u.cluster || !theirs.has(u.cluster)).length;
      const available = pool.analysis.total - BigInt(others);
      const steady = BigInt(rollouts.reduce((n, r) => n + r.rollout.replicas, 0));
      const extra = BigInt(rollouts.reduce((n, r) => n + r.extra, 0));
      out.push({ pool, rollouts, available, steady, freeAfter: available - steady - extra });
    }
    return out;
  },
);
