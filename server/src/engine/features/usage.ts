// Pool usage as a workspace (or a live cluster) sees it: which addresses of a pool are taken, and by whom.
import { canonical, formatAddr } from '../ip/addr';
import { inPoolAddresses, poolStatus, freeSet, type PoolStatus } from '../ip/pool';
import type { Inventory, PoolInfo, WorkloadCluster } from '../model/types';
import type { Location } from '../types';
import { distinctIps } from '../model/vipPlaces';

export interface PoolUser {
  address: string;
  /** IPAddress name (live or declared), or the cluster whose VIP it is. */
  name: string;
  namespace?: string;
  claim?: string;
  cluster?: string;
  location?: Location;
}

const refersTo = (pool: PoolInfo, ref: { kind: string; name: string }, namespace: string) =>
  ref.kind === pool.kind && ref.name === pool.name && (pool.namespace === undefined || pool.namespace === namespace);

/** IPAddresses of the pool (as the provider counts them), plus workspace VIPs in it that no IPAddress backs. */
export function poolUsers(pool: PoolInfo, inventory: Inventory, clusters: WorkloadCluster[]): PoolUser[] {
  const claims = new Map(inventory.claims.map((c) => [`${c.namespace}/${c.name}`, c.clusterName]));
  const users: PoolUser[] = inventory.addresses
    .filter((a) => refersTo(pool, a.poolRef, a.namespace))
    .map((a) => ({
      address: canonical(a.address) ?? a.address,
      name: a.name,
      namespace: a.namespace,
      claim: a.claimName,
      cluster: a.clusterName ?? claims.get(`${a.namespace}/${a.claimName}`),
      location: a.origin,
    }));
  const taken = new Set(users.map((u) => u.address));
  for (const c of clusters) {
    for (const ip of distinctIps(c)) {
      if (taken.has(ip) || !inPoolAddresses(pool.analysis, ip)) continue;
      taken.add(ip);
      // No claim backs it: nothing to release, so no `cluster` (that is what makes an allocation releasable).
      users.push({
        address: ip,
        name: `VIP of ${c.namespace}/${c.name} (no claim)`,
        namespace: c.namespace,
        location: c.places.find((p) => canonical(p.value) === ip),
      });
    }
  }
  return users;
}

export interface PoolUsage {
  status: PoolStatus;
  users: PoolUser[];
  firstFree?: string;
  freeRanges: string[];
}

export function poolUsage(pool: PoolInfo, inventory: Inventory, clusters: WorkloadCluster[], others: string[] = []): PoolUsage {
  const users = poolUsers(pool, inventory, clusters);
  const used = users.map((u) => u.address);
  const free = freeSet(pool.analysis, [...used, ...others]);
  const first = free.first();
  const texts = free.describe(20);
  return {
    status: poolStatus(pool.analysis, used),
    users,
    firstFree: first === undefined || pool.analysis.family === undefined ? undefined : formatAddr({ family: pool.analysis.family, value: first }),
    freeRanges: free.ranges.slice(0, 20).map(([a, b], i) => `${texts[i]} (${b - a + 1n})`),
  };
}
