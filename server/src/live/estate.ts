// The estate, watched (issue 22): several management clusters, each a LiveCluster, and for every CAPI
// Cluster of theirs a connection to the workload cluster (a LiveCluster in its workload role). Each
// cluster has its own state; one down or slow never blocks the others; at most `maxConnections`
// clusters list at once (a slot is held from the route's lookup to the first complete list or a
// failure); a failing cluster keeps what it last listed (cached) and reconnects with backoff.
import type { EstateCluster, Inventory, NodeAddressInfo } from '../engine/index';
import { type LoadedConfig, k8s, redactUrls, statusOf, briefStatus } from './kube';
import { LiveCluster, type LiveState } from './liveCluster';
import {
  Limiter,
  type Reached,
  SecretRefused,
  type WorkloadRoute,
  type WorkloadTarget,
  contextRoute,
  estateClusterOf,
  secretRoute,
  workloadTargets,
} from './workloads';

export interface EstateOptions {
  workloadClusters: WorkloadRoute;
  /** "namespace/name" → a context of the user's kubeconfig. */
  contextMap: Record<string, string>;
  maxConnections: number;
  timeoutMs: number;
}

export type ConnectionStateName = 'connecting' | 'live' | 'cached' | 'forbidden' | 'unreachable' | 'off';

export interface ClusterConnectionState {
  state: ConnectionStateName;
  reason?: string;
  cachedAt?: number;
  route?: 'context' | 'secret';
  context?: string;
  server?: string;
}

export interface EstateEvents {
  changed(): void;
  log(message: string): void;
}

/** A LiveCluster's state as the estate names it: a cluster that was live and is not is `cached`. */
export function stateOf(live: LiveCluster, s: LiveState): Pick<ClusterConnectionState, 'state' | 'reason' | 'cachedAt'> {
  if (s.state === 'connected') return { state: 'live' };
  if (s.state !== 'connecting' && live.ready && live.staleSince !== undefined) return { state: 'cached', reason: s.reason, cachedAt: live.staleSince };
  return { state: s.state === 'connecting' ? 'connecting' : s.state, ...(s.reason ? { reason: s.reason } : {}) };
}

/** Backoff of a route that failed (a Secret not written yet, a management cluster that refused the read). */
const ROUTE_RETRY_MS = { first: 2_000, max: 60_000 };

class Workload {
  live: LiveCluster | undefined;
  /** The connection replaced after its credential stopped working (a rotated Secret): shown until the new one lists. */
  private previous: LiveCluster | undefined;
  state: ClusterConnectionState = { state: 'connecting' };
  private release: (() => void) | undefined;
  private stopped = false;
  private data: ReturnType<typeof estateClusterOf> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private backoff = ROUTE_RETRY_MS.first;
  private starting = false;

  constructor(
    public target: WorkloadTarget,
    private readonly owner: Estate,
    /** How it is reached (the contexts or the secrets route), looked up again on every start. */
    private readonly reach: (t: WorkloadTarget) => Promise<Reached>,
  ) {}

  /** Looks the route up (holding a connection slot) and connects; a failed lookup is tried again with backoff. */
  async start(): Promise<void> {
    if (this.starting || this.stopped) return;
    this.starting = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.release = await this.owner.limiter.acquire();
    try {
      if (this.stopped) return this.free();
      let reached: Reached;
      try {
        reached = await this.reach(this.target);
      } catch (e) {
        const s = statusOf(e);
        const reason = e instanceof SecretRefused ? e.message : `cannot read Secret ${this.target.namespace}/${this.target.name}-kubeconfig: ${briefStatus(e)}`;
        this.set({ state: s.code === 403 || s.code === 401 ? 'forbidden' : e instanceof SecretRefused || s.code === 404 ? 'off' : 'unreachable', reason });
        this.free();
        return this.later();
      }
      if (this.stopped) return this.free();
      if ('off' in reached) {
        this.set({ state: 'off', reason: reached.off });
        return this.free();
      }
      this.backoff = ROUTE_RETRY_MS.first;
      this.connect(reached.config, reached.route, reached.context);
    } finally {
      this.starting = false;
    }
  }

  /** Tries the route again after the backoff (the Secret may be written later, the refusal lifted). */
  private later(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.start(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, ROUTE_RETRY_MS.max);
  }

  private connect(config: LoadedConfig, route: 'context' | 'secret', context: string | undefined): void {
    const base = { route, ...(context ? { context } : {}), server: redactUrls(config.server) };
    const from = { managementCluster: this.target.managementCluster, workloadCluster: `${this.target.namespace}/${this.target.name}` };
    const live: LiveCluster = new LiveCluster(
      config,
      {
        changed: () => {
          this.data = undefined;
          this.owner.changed();
        },
        state: (s) => {
          if (this.live !== live) return;
          this.set({ ...base, ...stateOf(live, s) });
          if (s.state !== 'connecting') this.free();
          if (s.state === 'connected') {
            this.previous?.stop();
            this.previous = undefined;
          }
          // CAPI rotates the kubeconfig Secret: a credential from it that stops working is read again.
          if (route === 'secret' && s.state === 'forbidden' && !this.timer) this.timer = setTimeout(() => this.renew(), this.backoff);
        },
        log: (m) => this.owner.events.log(`${from.workloadCluster}: ${m}`),
      },
      this.owner.options.timeoutMs,
      { role: 'workload', from },
    );
    this.live = live;
    if (this.state.state !== 'cached') this.set({ ...base, state: 'connecting' });
    live.start();
  }

  /** The secrets route's credential was refused: keep what was listed on show, read the Secret again. */
  private renew(): void {
    this.timer = undefined;
    if (this.stopped || !this.live || this.live.state.state !== 'forbidden') return;
    this.backoff = Math.min(this.backoff * 2, ROUTE_RETRY_MS.max);
    if (this.live.ready) {
      this.previous?.stop();
      this.previous = this.live;
      this.previous.stop();
    } else this.live.stop();
    this.live = undefined;
    void this.start();
  }

  private free(): void {
    this.release?.();
    this.release = undefined;
  }

  private set(s: ClusterConnectionState): void {
    if (JSON.stringify(s) === JSON.stringify(this.state)) return;
    this.state = s;
    this.data = undefined;
    this.owner.changed();
  }

  /** What the estate knows of it: its objects as last listed (also while cached), else nothing but the target. */
  estate(): ReturnType<typeof estateClusterOf> {
    const listed = this.live?.ready ? this.live : this.previous?.ready ? this.previous : undefined;
    this.data ??= estateClusterOf(
      this.target,
      listed && { Service: listed.objects('Service'), ConfigMap: listed.objects('ConfigMap'), Node: listed.objects('Node'), Lease: listed.objects('Lease') },
    );
    return this.data;
  }

  /** The management cluster shows the Cluster anew: a changed endpoint may give a route where there was none. */
  retargeted(t: WorkloadTarget): void {
    if (JSON.stringify(t) === JSON.stringify(this.target)) return;
    this.target = t;
    this.data = undefined;
    if (!this.live && this.state.state === 'off') void this.start();
  }

  retryNow(): void {
    if (this.live) return this.live.retryNow();
    this.backoff = ROUTE_RETRY_MS.first;
    void this.start();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.live?.stop();
    this.previous?.stop();
    this.free();
  }
}

export interface ManagementEntry {
  context: string;
  live: LiveCluster;
  /** The state the connection reports (ClusterConnection owns the first one's). */
  state(): ClusterConnectionState;
}

export class Estate {
  readonly limiter: Limiter;
  private readonly workloads = new Map<string, Workload>();
  private pending: NodeJS.Immediate | undefined;
  private merged: Inventory | undefined;

  constructor(
    readonly management: ManagementEntry[],
    /** The user's own kubeconfig (the contexts route), undefined when it could not be read. */
    private readonly user: k8s.KubeConfig | undefined,
    readonly options: EstateOptions,
    readonly events: EstateEvents,
  ) {
    this.limiter = new Limiter(Math.max(1, options.maxConnections));
  }

  /** Something changed: one notification per turn of the event loop, however many clusters moved. */
  changed(): void {
    this.merged = undefined;
    this.pending ??= setImmediate(() => {
      this.pending = undefined;
      this.events.changed();
    });
  }

  /** A management cluster's inventory changed: start, retarget or stop its workload clusters. */
  managementChanged(): void {
    this.merged = undefined;
    const seen = new Set<string>();
    for (const m of this.management) {
      if (!m.live.ready) {
        // Not listed (yet, or any more): keep its workload connections as they are.
        for (const k of this.workloads.keys()) if (k.startsWith(`${m.context}\u0000`)) seen.add(k);
        continue;
      }
      const targets = workloadTargets(m.context, m.live.objects('Cluster'), m.live.inventory().endpoints);
      for (const t of targets) {
        const key = `${m.context}\u0000${t.namespace}/${t.name}`;
        seen.add(key);
        const existing = this.workloads.get(key);
        if (existing) {
          existing.retargeted(t);
          continue;
        }
        const route = this.options.workloadClusters;
        const w = new Workload(t, this, async (target) =>
          route === 'secrets' ? secretRoute(m.live.config.kc, target, this.options.timeoutMs) : contextRoute(this.user, target, this.options.contextMap),
        );
        this.workloads.set(key, w);
        if (route === 'off') {
          w.state = { state: 'off', reason: 'capiIpam.workloadClusters is "off"' };
          continue;
        }
        void w.start();
      }
    }
    for (const [k, w] of this.workloads)
      if (!seen.has(k)) {
        w.stop();
        this.workloads.delete(k);
      }
    this.changed();
  }

  /** Every management cluster's inventory, owners set, joined with the workload clusters' Services, kube-vip configs and nodes. */
  inventory(): Inventory | undefined {
    if (this.merged) return this.merged;
    const parts = this.management.filter((m) => m.live.ready).map((m) => m.live.inventory());
    if (!parts.length) return undefined;
    const estate: EstateCluster[] = [];
    const nodes: NodeAddressInfo[] = [];
    for (const w of this.workloads.values()) {
      const { cluster, nodes: n } = w.estate();
      estate.push(cluster);
      nodes.push(...n);
    }
    this.merged = joinManagement(parts, estate, nodes);
    return this.merged;
  }

  /** Per management cluster, its workload clusters with their connection states (sorted by namespace/name). */
  clusters(): {
    context: string;
    state: ClusterConnectionState;
    workloads: { target: WorkloadTarget; state: ClusterConnectionState; estate: EstateCluster }[];
  }[] {
    return this.management.map((m) => ({
      context: m.context,
      state: m.state(),
      workloads: [...this.workloads.entries()]
        .filter(([k]) => k.startsWith(`${m.context}\u0000`))
        .map(([, w]) => ({ target: w.target, state: w.state, estate: w.estate().cluster }))
        .sort((a, b) => a.target.namespace.localeCompare(b.target.namespace) || a.target.name.localeCompare(b.target.name)),
    }));
  }

  retryNow(): void {
    for (const m of this.management) m.live.retryNow();
    for (const w of this.workloads.values()) w.retryNow();
  }

  stop(): void {
    clearImmediate(this.pending);
    for (const w of this.workloads.values()) w.stop();
    this.workloads.clear();
  }
}

/** Several management clusters' inventories as one (each item keeps its owner), plus the workload clusters. */
export function joinManagement(parts: Inventory[], estate: EstateCluster[], nodes: NodeAddressInfo[]): Inventory {
  const [first, ...rest] = parts;
  const out: Inventory = { ...first!, estate, nodeAddresses: [...first!.nodeAddresses, ...nodes] };
  const lists = out as unknown as Record<string, unknown[]>;
  for (const part of rest) {
    for (const [field, value] of Object.entries(part))
      if (Array.isArray(value) && field !== 'estate' && value.length) lists[field] = [...(lists[field] ?? []), ...value];
  }
  return out;
}
