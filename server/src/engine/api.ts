// The Analysis API: every feature the language server and the CLI offer, over one Workspace. Answers
// are plain engine data (offsets in a file's text, engine Locations); the callers only translate them
// into their transport (LSP ranges and messages, terminal text). Each call reads the current analysis,
// which the Workspace recomputes only after a change.
import { clusterId } from './model/clusters';
import type { PoolInfo, WorkloadCluster } from './model/types';
import type { Finding, Fix } from './types';
import { type PoolUsage, poolUsage } from './features/usage';
import type { Analysis, Workspace } from './workspace';
import { type AddressCompletion, completionsAt } from './features/completion';
import { type HoverHit, hoverAt } from './features/hover';
import { type Lens, type LensOptions, clusterLenses } from './features/codeLens';
import { kubeVipRangeViews, poolBlockView, poolId, poolMapView, poolView, rankedPoolViews, serviceViews } from './features/views';
import type { KubeVipRangeView, PoolBlockView, PoolView, ServiceView } from './features/viewTypes';
import { type AllocationChoice, allocationChoices, choosePool, exhaustion, nextFreeAddress } from './features/allocation';
import type { PoolMapData } from './features/poolMap';
import type { ClaimPool } from './claimDocument';
import { ipPlaces } from './model/vipPlaces';
import { type ClusterRef, declaredClusterAt } from './features/cursor';

export type { ClusterRef };

export class AnalysisApi {
  constructor(readonly workspace: Workspace) {}

  /** The current analysis: clusters, the inventory the rules used, findings. */
  get current(): Analysis {
    return this.workspace.analyze();
  }

  diagnostics(): Finding[] {
    return this.current.findings;
  }

  /** `live`: how live pools are described ("live", or "cached, N min ago" when the cluster cannot be read). */
  hover(uri: string, offset: number, live = 'live'): HoverHit | undefined {
    return hoverAt(this.current, uri, offset, live);
  }

  completion(uri: string, offset: number, defaultPool = ''): AddressCompletion[] {
    return completionsAt(this.current, uri, offset, defaultPool);
  }

  /** Quick fixes for the findings in [start, end] of `uri` (see `Workspace.fixesAt`). */
  codeActions(uri: string, start: number, end: number): Fix[] {
    return this.workspace.fixesAt(uri, start, end);
  }

  codeLenses(uri: string, opts: LensOptions): Lens[] {
    return clusterLenses(this.current, uri, opts);
  }

  /** The cluster the cursor at `offset` of `uri` is in: what Allocate and Release act on without arguments. */
  clusterAt(uri: string, offset: number): ClusterRef | undefined {
    const declared = declaredClusterAt(this.workspace.objectsIn(uri), offset);
    if (declared) return declared;
    const c = this.workspace.clusterAt(uri, offset);
    return c && { name: c.name, namespace: c.namespace };
  }

  cluster(ref: ClusterRef): WorkloadCluster | undefined {
    return this.workspace.cluster(clusterId(ref));
  }

  /** The addresses the cluster's VIP places hold (what a claim holding its VIP must hold). */
  vips(ref: ClusterRef): string[] {
    const c = this.cluster(ref);
    return c ? ipPlaces(c).map((p) => p.ip) : [];
  }

  pools(): PoolView[] {
    const a = this.current;
    return a.inventory.pools.map((p) => poolView(p, a));
  }

  pool(id: string): PoolInfo | undefined {
    return this.current.inventory.pools.find((p) => poolId(p) === id);
  }

  /** What an expanded allocation block of pool `id` holds; undefined when the pool or block is gone. */
  poolBlock(id: string, block: string): PoolBlockView | undefined {
    return poolBlockView(this.current, id, block);
  }

  poolMap(id: string, zoom?: string): PoolMapData | undefined {
    return poolMapView(this.current, id, zoom);
  }

  /** The live pools `cluster` may allocate from, best first (the engine's one ranking). */
  rankedPools(cluster: ClusterRef, defaultPool: string): PoolView[] {
    return rankedPoolViews(this.current, cluster, defaultPool);
  }

  services(): ServiceView[] {
    return serviceViews(this.current);
  }

  kubeVipRanges(): KubeVipRangeView[] {
    return kubeVipRangeViews(this.current);
  }

  usage(pool: PoolInfo): PoolUsage {
    const a = this.current;
    return poolUsage(pool, a.inventory, a.clusters);
  }

  /** The allocation plan: the choices at a place, the pools in order, the offline address, why a pool gave none. */
  allocationChoices(
    cluster: WorkloadCluster,
    at: { uri: string; start: number; end: number },
    defaultPool: string,
  ): { resolves: Finding[]; choices: AllocationChoice[] } {
    return allocationChoices(this.current, cluster, at, defaultPool);
  }

  candidatePools(cluster: WorkloadCluster, wanted: string | undefined, from: 'live' | 'workspace'): PoolInfo[] {
    return choosePool(this.current, cluster, wanted, from);
  }

  nextFreeAddress(cluster: WorkloadCluster, wanted: string | undefined): { pool: PoolInfo; address: string } | undefined {
    return nextFreeAddress(this.current, cluster, wanted);
  }

  exhaustion(pool: ClaimPool): string | undefined {
    return exhaustion(this.current, pool);
  }
}
