// The allocation plan, the same for the editor and the CLI: which pools a cluster may get its VIP
// from (always `rankPools`' order), the "Allocate IP from pool …" choices at a place, the offline
// next free address, and the edits that write an address (and, optionally, its claim) into the files.
import { claimDocumentEdit, type ClaimOptions, type ClaimPool } from '../claimDocument';
import { vipEdits } from '../edits';
import { usedAddresses } from '../fixes';
import { RESOLVED_BY_NEW_ADDRESS } from '../rules/index';
import { nextFree } from '../ip/pool';
import type { PoolInfo, WorkloadCluster } from '../model/types';
import { namesPool, rankPools, roleSuffix } from '../ranking';
import { poolLabel } from '../model/pools';
import type { Finding, TextEdit } from '../types';
import { poolUsage } from './usage';
import type { Analysis } from '../workspace';
import { poolId } from './views';

type Pools = Pick<Analysis, 'inventory' | 'clusters'>;

/** A live allocation also replaces a value that is not an address at all. */
const ADDRESS_CODES = new Set([...RESOLVED_BY_NEW_ADDRESS, 'invalid-ip']);

export interface AllocationChoice {
  title: string;
  poolId: string;
  /** The first choice, and a pool the cluster asked for (annotation or `capiIpam.defaultPool`). */
  preferred: boolean;
}

/**
 * "Allocate IP from pool …" at [start, end] of `uri`: one per live pool with room, best first, when
 * the range touches a VIP place that is empty or has an address problem; `resolves`: those problems.
 */
export function allocationChoices(
  a: Analysis,
  cluster: WorkloadCluster,
  at: { uri: string; start: number; end: number },
  defaultPool: string,
): { resolves: Finding[]; choices: AllocationChoice[] } {
  const overlaps = (f: { uri: string; span: { start: number; end: number } }) => f.uri === at.uri && f.span.start <= at.end && at.start <= f.span.end;
  const resolves = a.findings.filter((f) => overlaps(f) && ADDRESS_CODES.has(f.code));
  if (!cluster.places.some(overlaps) || !(resolves.length || cluster.places.some((p) => p.value === ''))) return { resolves, choices: [] };
  const pools = rankPools(a, cluster, { defaultPool, from: 'live' }).filter(({ usage }) => usage.firstFree !== undefined);
  const choices = pools.map(({ pool: p, usage: u, role, preferred }, i) => ({
    title: `Allocate IP from pool ${p.name} (${u.status.free < 0n ? 0n : u.status.free} free${roleSuffix(role)})`,
    poolId: poolId(p),
    preferred: i === 0 && preferred,
  }));
  return { resolves, choices };
}

/** `wanted` exactly (`<name>` or `<namespace>/<name>`), else every usable pool in the order of `rankPools`. */
export function choosePool(a: Pools, cluster: WorkloadCluster, wanted: string | undefined, from: 'live' | 'workspace'): PoolInfo[] {
  const usable = rankPools(a, cluster, { from }).map((r) => r.pool);
  if (!wanted) return usable;
  const hit = usable.filter((p) => namesPool(p, wanted));
  if (hit.length === 0) throw new Error(`no pool ${wanted} usable from namespace ${cluster.namespace} (known: ${usable.map(poolLabel).join(', ') || 'none'})`);
  return hit;
}

/** Offline: the next free address of the first workspace pool with room (nothing reserves it). */
export function nextFreeAddress(a: Pools, cluster: WorkloadCluster, wanted: string | undefined): { pool: PoolInfo; address: string } | undefined {
  const used = usedAddresses(
    a.clusters.filter((c) => c !== cluster),
    a.inventory,
  );
  for (const pool of choosePool(a, cluster, wanted, 'workspace')) {
    const [address] = nextFree(pool.analysis, used, 1);
    if (address) return { pool, address };
  }
  return undefined;
}

/** Why a live pool gave no address, when it has none free: "pool … is exhausted (N used of M)". */
export function exhaustion(a: Pools, pool: ClaimPool): string | undefined {
  const p = a.inventory.pools.find((x) => x.kind === pool.kind && x.name === pool.name && !x.origin);
  if (!p) return undefined;
  const u = poolUsage(p, a.inventory, a.clusters);
  return u.firstFree ? undefined : `pool ${poolLabel(p)} is exhausted (${u.status.used} used of ${u.status.total})`;
}

export interface ClaimEdit {
  pool: ClaimPool;
  options: ClaimOptions;
  /** The text of the cluster's file, where the claim document is appended. */
  text: string;
  /** Writes the claim elsewhere (a rendered cluster: into its chart or overlay). */
  writer?: (pool: ClaimPool, options: ClaimOptions) => TextEdit[];
}

/** `address` into every VIP place of the cluster; the claim document after every other edit of its file. */
export function allocationEdits(cluster: WorkloadCluster, address: string, claim?: ClaimEdit): TextEdit[] {
  const edits = vipEdits(cluster, address);
  if (claim) edits.push(...(claim.writer ? claim.writer(claim.pool, claim.options) : claimDocumentEdit(cluster, claim.text, claim.pool, claim.options)));
  return edits;
}

/** The cluster's own file: where a claim document goes. */
export const clusterFile = (c: WorkloadCluster): string => c.cluster?.uri ?? c.anchor.uri;
