// One allocation, for the language server and the CLI alike: claim an address from the pool, wait for
// the provider's IPAddress, let the caller write it (its edits, its way of applying them), and delete
// the claim again when anything fails after it exists, so that no address leaks whoever asked.
import type { ClaimPool } from '../engine/index';
import { type Allocation, AllocationError, ClaimHeld, type ClusterRef, claimAddress, rollBack } from './allocator';
import { briefStatus, type k8s } from './kube';
import type { Resource } from './resources';

export interface AllocationTarget {
  kc: k8s.KubeConfig;
  resources: Resource[];
}

export interface AllocateVipOptions {
  timeoutMs: number;
  /** The bound of each request (default 10 s). */
  requestTimeoutMs?: number;
  /** The cluster's claim exists already: use its address (the user chose to keep it) instead of failing with ClaimHeld. */
  keepExisting?: boolean;
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
 * by its code and reason only: client-node's message carries headers and body; ClaimHeld when the
 * cluster's claim exists already); a Rollback from `write` becomes one that says what became of the
 * claim (rollBack: deleted only if this allocation created it); any other error from `write` is
 * rethrown as is, after the same rollback.
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
    if (e instanceof ClaimHeld || (e instanceof AllocationError && !exhausted)) throw e; // ClaimHeld keeps its class and fields
    throw new AllocationError(
      e instanceof AllocationError ? `${e.message} — ${exhausted}` : `IPAddressClaim request failed: ${briefStatus(e, opts.requestTimeoutMs)}`,
    );
  }
  try {
    return await write(allocation);
  } catch (e) {
    const outcome = await rollBack(target.kc, target.resources, allocation, opts.requestTimeoutMs);
    if (e instanceof Rollback) throw new AllocationError(`${e.message}; ${outcome}`);
    throw e;
  }
}
