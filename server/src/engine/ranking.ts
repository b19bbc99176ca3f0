// The one order in which pools are offered for a cluster's VIP — by quick fixes, the Allocate
// command, completion and the CLI: the cluster's own choice (annotation `capi-ipam.dev/pool`, then
// the `capiIpam.defaultPool` setting), then pools that hold other clusters' VIPs, then the rest, then
// node pools (those machine templates draw node addresses from). A pool the cluster's namespace
// cannot use (an InClusterIPPool of another namespace) or that the provider would reject is never offered.
import { inPoolAddresses } from './ip/pool';
import { vipClaimName } from './model/clusters';
import type { Inventory, PoolInfo, WorkloadCluster } from './model/types';
import { agreedVip } from './model/vipPlaces';
import { type PoolUsage, poolUsage } from './features/usage';
import { perObject } from './memo';

export type PoolRole = 'vip' | 'node';

export interface RankedPool {
  pool: PoolInfo;
  role?: PoolRole;
  /** Named by the cluster's annotation or the default-pool setting. */
  preferred: boolean;
  usage: PoolUsage;
}

export interface RankOptions {
  /** `capiIpam.defaultPool`: `<name>` or `<namespace>/<name>`. */
  defaultPool?: string;
  /** Which pools can serve: live ones (a claim is made), workspace ones (offline), or both. */
  from?: 'live' | 'workspace' | 'any';
}

export function namesPool(p: { name: string; namespace?: string }, wanted: string | undefined): boolean {
  return !!wanted && (p.name === wanted || `${p.namespace}/${p.name}` === wanted);
}

/** Whether pods of `namespace` may claim from the pool (the provider resolves InClusterIPPool in the claim's namespace). */
export function usableFrom(p: PoolInfo, namespace: string): boolean {
  return p.analysis.errors.length === 0 && (p.namespace === undefined || p.namespace === namespace);
}

/**
 * Node pools by reference from machine templates; VIP pools by the VIPs, endpoints or VIP claims they
 * hold; node pools again by the machines' addresses they hold (a cluster's claim that is not its VIP claim). Made once per inventory, i.e. per analysis (`clusters` are that analysis's).
 */
export const poolRoles: (inventory: Inventory, clusters: WorkloadCluster[]) => Map<PoolInfo, PoolRole> = perObject(
  (inventory: Inventory, clusters: WorkloadCluster[]) => {
    const out = new Map<PoolInfo, PoolRole>();
    const vips = new Set<string>();
    for (const c of clusters) {
      const vip = agreedVip(c);
      if (vip) vips.add(vip);
    }
    for (const e of inventory.endpoints) vips.add(e.host);
    const vipClaims = new Set([
      ...clusters.map((c) => `${c.namespace}/${vipClaimName(c.name)}`),
      ...inventory.endpoints.map((e) => `${e.namespace}/${vipClaimName(e.clusterName)}`),
    ]);
    // A cluster's address under another claim than its VIP claim is a machine's (CAPV, CAPM3 and CAPMOX
    // label their claims with the cluster): its pool is a node pool even without the machine templates.
    const machineAddress = (a: Inventory['addresses'][number]) =>
      a.clusterName !== undefined && a.claimName !== vipClaimName(a.clusterName) && !vipClaims.has(`${a.namespace}/${a.claimName}`);
    for (const p of inventory.pools) {
      const mine = (a: Inventory['addresses'][number]) => a.poolRef.kind === p.kind && a.poolRef.name === p.name;
      const referenced = (inventory.nodePools ?? []).some((r) => r.kind === p.kind && r.name === p.name && r.namespace === p.namespace);
      const holdsVip = () =>
        [...vips].some((ip) => inPoolAddresses(p.analysis, ip)) || inventory.addresses.some((a) => mine(a) && vipClaims.has(`${a.namespace}/${a.claimName}`));
      if (referenced) out.set(p, 'node');
      else if (p.analysis.errors.length === 0 && holdsVip()) out.set(p, 'vip');
      else if (inventory.addresses.some((a) => mine(a) && machineAddress(a))) out.set(p, 'node');
    }
    return out;
  },
);

const ORDER = (r: RankedPool) => (r.preferred ? 0 : r.role === 'vip' ? 1 : r.role === undefined ? 2 : 3);

/** Pools `cluster` may get its VIP from, best first (stable within a rank: the inventory's order). */
export function rankPools(
  a: { inventory: Inventory; clusters: WorkloadCluster[] },
  cluster: { namespace: string; poolHint?: string },
  opts: RankOptions = {},
): RankedPool[] {
  const from = opts.from ?? 'any';
  const role = poolRoles(a.inventory, a.clusters);
  const hinted = a.inventory.pools.some((p) => namesPool(p, cluster.poolHint));
  const ranked = a.inventory.pools
    .filter((p) => usableFrom(p, cluster.namespace) && (from === 'any' || (from === 'live') === !p.origin))
    .map((pool) => ({
      pool,
      role: role.get(pool),
      preferred: hinted ? namesPool(pool, cluster.poolHint) : namesPool(pool, opts.defaultPool),
      usage: poolUsage(pool, a.inventory, a.clusters),
    }));
  return ranked
    .map((r, i) => ({ r, i }))
    .sort((x, y) => ORDER(x.r) - ORDER(y.r) || x.i - y.i)
    .map(({ r }) => r);
}

/** " · VIP pool" / " · node pool", for titles and details. */
export function roleSuffix(role: PoolRole | undefined): string {
  return role === 'vip' ? ' · VIP pool' : role === 'node' ? ' · node pool' : '';
}
