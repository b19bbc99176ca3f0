// One allocation, for the language server and the CLI alike: claim an address from the pool, wait for
// the provider's IPAddress, let the caller write it (its edits, its way of applying them), and delete
// the claim again when anything fails after it exists, so that no address leaks whoever asked.
import type { ClaimPool } from '../engine/index';
import { type Allocation, AllocationError, type ClusterRef, claimAddress, deleteClaim } from './allocator';
import { briefStatus, type k8s } from './kube';
import type { Resource } from './resources';

export interface AllocationTarget {
  kc: k8s.KubeConfig;
  resources: Resource[];
}

export interface AllocateVipOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Whether the Cluster exists in the management cluster (see claimObject). */
  clusterExists: boolean;
  /** Why the pool gave no address, when it is exhausted (the Analysis API's `exhaustion`). */
  exhaustion(pool: ClaimPool): string | undefined;
}

/** Thrown by the caller's `write`: the claim is deleted and the allocation fails with this reason. */
export class Rollback extends Error {}

/**
 * Claims, then calls `write` with the address. A failure to claim is an AllocationError (an API error
 * by its code and reason only: client-node's message carries headers and body); a Rollback from
 * `write` becomes one that says the claim is gone; any other error from `write` is rethrown as is.
 */
export async function allocateVip<R>(
  target: AllocationTarget,
  cluster: ClusterRef,
  pool: ClaimPool,
  opts: AllocateVipOptions,
  write: (allocation: Allocation) => Promise<R>,
): Promise<R> {
  let allocation: Allocation;
  try {
    allocation = await claimAddress(target.kc, target.resources, cluster, pool, opts);
  } catch (e) {
    const exhausted = opts.exhaustion(pool);
    throw new AllocationError(
      e instanceof AllocationError ? `${e.message}${exhausted ? ` — ${exhausted}` : ''}` : `IPAddressClaim request failed: ${briefStatus(e)}`,
    );
  }
  try {
    return await write(allocation);
  } catch (e) {
    if (allocation.created) await deleteClaim(target.kc, target.resources, allocation.claim).catch(() => undefined);
    if (e instanceof Rollback)
      throw new AllocationError(`${e.message}; the IPAddressClaim ${allocation.claim.namespace}/${allocation.claim.name} was deleted, no address is held`);
    throw e;
  }
}
