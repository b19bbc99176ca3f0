// Pool usage as a workspace (or a live cluster) sees it: which addresses of a pool are taken, and by whom.
import { canonical, formatAddr, parseAddr } from '../ip/addr';
import { RangeSet } from '../ip/range-set';
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
  // Metal3 records its allocations (and pre-allocations) in the pool itself.
  const taken = new Set(users.map((u) => u.address));
  for (const h of pool.source?.held ?? []) {
    const address = canonical(h.address) ?? h.address;
    if (taken.has(address)) continue;
    taken.add(address);
    users.push({ address, name: `${h.name} (held by ${pool.kind} ${pool.name})`, namespace: pool.namespace });
  }
  // Ranges kept outside the cluster: only the IPAddresses say what is used.
  if (pool.source?.managedBy) return users;
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

function subPrefixes(used: string[], length: number): RangeSet {
  const host = BigInt(128 - length);
  return RangeSet.of(
    6,
    used.flatMap((ip) => {
      const a = parseAddr(ip);
      if (!a.ok || a.value.family !== 6) return [];
      const first = (a.value.value >> host) << host;
      return [[first, first + (1n << host) - 1n] as const];
    }),
  );
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
  const length = pool.source?.allocationPrefixLength;
  // A prefix pool hands out whole sub-prefixes: an IPAddress at a sub-prefix's base takes all of it.
  const free = length ? pool.analysis.allocatable.subtract(subPrefixes(used, length)) : freeSet(pool.analysis, [...used, ...others]);
  const first = free.first();
  const texts = free.describe(20);
  return {
    // An external IPAM's pool: its ranges are unknown here, every IPAddress of it counts.
    status: pool.source?.managedBy ? { total: 0n, used: users.length, free: 0n, outOfRange: 0n } : poolStatus(pool.analysis, used),
    users,
    firstFree:
      first === undefined || pool.analysis.family === undefined
        ? undefined
        : formatAddr({ family: pool.analysis.family, value: first }) + (length ? `/${length}` : ''),
    freeRanges: free.ranges.slice(0, 20).map(([a, b], i) => `${texts[i]} (${b - a + 1n})`),
  };
}
