// One management-cluster connection: discovery, a ListWatcher per kind, the live Inventory and a
// connection state. Validation reads the in-memory inventory: no request per keystroke.
import { type Inventory, KUBE_VIP_CP_LEASE, type ReadFrom } from '../engine/index';
import { toInventory } from './convert';
import { basename } from 'node:path';
import { type ApiStatus, type LoadedConfig, isAuthProblem, k8s, plainMessage, redactUrls, statusOf, withTimeout } from './kube';
import { type Resource, collectionPath, discover } from './resources';
import { type ListPage, type ListResult, ListWatcher, type Obj } from './watcher';

export type LiveStateName = 'connecting' | 'connected' | 'unreachable' | 'forbidden';

export interface LiveState {
  state: LiveStateName;
  reason?: string;
}

export interface LiveListener {
  changed(): void;
  state(s: LiveState): void;
  log?(message: string): void;
}

const KUBE_VIP_CONFIGMAP = { namespace: 'kube-system', name: 'kubevip' };

/**
 * What a connection reads: a management cluster's CAPI and IPAM kinds (found by discovery), or a
 * workload cluster's LoadBalancer Services, `kube-system/kubevip`, Nodes and kube-vip's lease (issue 22).
 */
export interface LiveOptions {
  role?: 'management' | 'workload';
  /** Names the inventory's owners (its management cluster, the workload cluster). */
  from?: ReadFrom;
}

/** The inventory of several kinds' shares: each list is the concatenation of theirs, in order. */
function joinInventories(parts: Inventory[]): Inventory {
  const joined = toInventory(new Map());
  const lists = joined as unknown as Record<string, unknown[]>;
  for (const part of parts) {
    for (const [field, value] of Object.entries(part)) if (Array.isArray(value) && value.length > 0) lists[field] = (lists[field] ?? []).concat(value);
  }
  return joined;
}

export class LiveCluster {
  private watchers = new Map<string, ListWatcher>();
  private problems = new Map<string, ApiStatus>();
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private discoveryBackoff = 500;
  private lastState: LiveState = { state: 'connecting' };
  private cached: Inventory | undefined;
  /** Each kind's share of the inventory (Cluster with VSphereCluster), converted again only when that kind changed. */
  private readonly parts = new Map<string, Inventory>();
  private pendingChange: NodeJS.Immediate | undefined;
  /** When the inventory stopped being live (the state left "connected"); undefined while connected. */
  staleSince: number | undefined;
  resources: Resource[] = [];
  /** Kinds whose 403 or 404 leaves them out rather than failing the connection. */
  private readonly optional = new Set<string>();
  /** Optional kinds refused (403/404): they count as listed, with no objects. */
  private readonly skipped = new Set<string>();

  constructor(
    readonly config: LoadedConfig,
    private readonly listener: LiveListener,
    private readonly timeoutMs = 10_000,
    private readonly options: LiveOptions = {},
  ) {}

  /** Kinds converted together: an endpoint is deduplicated across Cluster and the infrastructure clusters. */
  private groupOf(kind: string): string {
    return kind === 'VSphereCluster' || this.resources.some((r) => r.kind === kind && r.endpoint) ? 'Cluster' : kind;
  }

  get state(): LiveState {
    return this.lastState;
  }

  start(): void {
    this.stopped = false;
    this.setState({ state: 'connecting', reason: `connecting to ${redactUrls(this.config.server)}` });
    void this.discover();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearImmediate(this.pendingChange);
    for (const w of this.watchers.values()) w.stop();
    this.watchers.clear();
  }

  /** "Retry now": rediscover, or restart the failing watches, without waiting for their backoff. */
  retryNow(): void {
    if (this.stopped) return;
    if (this.watchers.size === 0) {
      clearTimeout(this.timer);
      this.discoveryBackoff = 500;
      void this.discover();
    } else for (const w of this.watchers.values()) w.retryNow();
  }

  private async discover(): Promise<void> {
    if (this.options.role === 'workload') return this.watchWorkload();
    try {
      this.resources = await discover(this.config.kc, this.timeoutMs);
    } catch (e) {
      if (this.stopped) return;
      const s = statusOf(e);
      this.setState(this.describe(s, 'discovery'));
      this.timer = setTimeout(() => void this.discover(), this.discoveryBackoff);
      this.discoveryBackoff = Math.min(this.discoveryBackoff * 2, 30_000);
      return;
    }
    if (this.stopped) return;
    const custom = this.config.kc.makeApiClient(k8s.CustomObjectsApi);
    const core = this.config.kc.makeApiClient(k8s.CoreV1Api);
    const opts = withTimeout(this.timeoutMs);
    for (const r of this.resources) {
      if (r.optional) this.optional.add(r.kind);
      this.add(
        r.kind,
        collectionPath(r),
        (page) => custom.listClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, ...page }, opts) as Promise<ListResult>,
      );
    }
    this.add('Service', '/api/v1/services', (page) => core.listServiceForAllNamespaces(page, opts) as unknown as Promise<ListResult>);
    const field = `metadata.name=${KUBE_VIP_CONFIGMAP.name}`;
    this.add(
      'ConfigMap',
      `/api/v1/namespaces/${KUBE_VIP_CONFIGMAP.namespace}/configmaps`,
      (page) =>
        core.listNamespacedConfigMap({ namespace: KUBE_VIP_CONFIGMAP.namespace, fieldSelector: field, ...page }, opts) as unknown as Promise<ListResult>,
      { fieldSelector: field },
    );
  }

  /** A workload cluster: no discovery (the kinds are core and coordination.k8s.io/v1, served by every API server). */
  private watchWorkload(): void {
    const core = this.config.kc.makeApiClient(k8s.CoreV1Api);
    const leases = this.config.kc.makeApiClient(k8s.CoordinationV1Api);
    const opts = withTimeout(this.timeoutMs);
    this.add('Service', '/api/v1/services', (page) => core.listServiceForAllNamespaces(page, opts) as unknown as Promise<ListResult>);
    const field = `metadata.name=${KUBE_VIP_CONFIGMAP.name}`;
    this.add(
      'ConfigMap',
      `/api/v1/namespaces/${KUBE_VIP_CONFIGMAP.namespace}/configmaps`,
      (page) =>
        core.listNamespacedConfigMap({ namespace: KUBE_VIP_CONFIGMAP.namespace, fieldSelector: field, ...page }, opts) as unknown as Promise<ListResult>,
      { fieldSelector: field },
    );
    this.add('Node', '/api/v1/nodes', (page) => core.listNode(page, opts) as unknown as Promise<ListResult>);
    // kube-vip's lease says which node answers for the VIP: nice to know, so a 403 leaves it out.
    this.optional.add('Lease');
    const lease = `metadata.name=${KUBE_VIP_CP_LEASE}`;
    this.add(
      'Lease',
      '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases',
      (page) => leases.listNamespacedLease({ namespace: 'kube-system', fieldSelector: lease, ...page }, opts) as unknown as Promise<ListResult>,
      { fieldSelector: lease },
    );
  }

  /** The listed objects of one kind (a workload cluster's Nodes, say). */
  objects(kind: string): Obj[] {
    return [...(this.watchers.get(kind)?.objects.values() ?? [])];
  }

  private add(kind: string, path: string, list: ListPage, query?: Record<string, string>): void {
    const w = new ListWatcher(
      this.config.kc,
      path,
      list,
      {
        changed: () => {
          this.cached = undefined;
          this.parts.delete(this.groupOf(kind));
          // One change per turn of the event loop: a burst of watch events (a provider reconciling,
          // a list of 100,000) costs one new inventory and one analysis, not one per event.
          this.pendingChange ??= setImmediate(() => {
            this.pendingChange = undefined;
            this.listener.changed();
          });
        },
        health: (ok, problem) => {
          if (ok) {
            this.problems.delete(kind);
            this.skipped.delete(kind);
          } else if (this.optional.has(kind) && (isAuthProblem(problem!) || problem!.code === 404)) {
            // Not permitted (or not served): left out, not a problem of the connection; the watcher keeps
            // retrying at its capped backoff, so a grant (or an authorizer still warming up) is picked up.
            if (!this.skipped.has(kind)) this.listener.log?.(`${kind}: ${problem!.code} — left out`);
            this.skipped.add(kind);
            this.problems.delete(kind);
          } else this.problems.set(kind, problem!);
          this.updateState();
        },
        log: (m) => this.listener.log?.(m),
      },
      query,
      { livenessMs: 3 * this.timeoutMs },
    );
    this.watchers.set(kind, w);
    w.start();
  }

  private describe(s: ApiStatus, what: string): LiveState {
    const exec = this.config.kc.getCurrentUser()?.exec?.command;
    if (s.opaque && exec)
      return {
        state: 'forbidden',
        reason: `${what}: the exec credential plugin ${basename(exec)} failed (its output is not shown: it can contain credentials; run it in a terminal)`,
      };
    if (isAuthProblem(s)) return { state: 'forbidden', reason: `${what}: ${s.code} ${s.message}` };
    return { state: 'unreachable', reason: `${what}: ${s.code ? s.code + ' ' : ''}${plainMessage(s, this.timeoutMs)}` };
  }

  private updateState(): void {
    const [kind, problem] = [...this.problems.entries()][0] ?? [];
    if (problem) this.setState(this.describe(problem, `cannot list ${kind}`));
    else if (this.ready) this.setState({ state: 'connected' });
  }

  private setState(s: LiveState): void {
    if (s.state === this.lastState.state && s.reason === this.lastState.reason) return;
    if (s.state === 'connected') this.staleSince = undefined;
    else if (this.lastState.state === 'connected') this.staleSince = Date.now();
    this.lastState = s;
    this.listener.state(s);
  }

  /** True once every kind has been listed at least once. */
  get ready(): boolean {
    return this.watchers.size > 0 && [...this.watchers].every(([kind, w]) => w.lists > 0 || this.skipped.has(kind));
  }

  inventory(): Inventory {
    if (this.cached) return this.cached;
    const parts: Inventory[] = [];
    for (const group of new Set([...this.watchers.keys()].map((k) => this.groupOf(k)))) {
      let part = this.parts.get(group);
      if (!part) {
        const byKind = new Map<string, Obj[]>();
        for (const [kind, w] of this.watchers) if (this.groupOf(kind) === group) byKind.set(kind, [...w.objects.values()]);
        this.parts.set(group, (part = toInventory(byKind, this.options.from, this.endpointKinds())));
      }
      parts.push(part);
    }
    this.cached = joinInventories(parts);
    return this.cached;
  }

  private endpointKinds(): string[] {
    return this.resources.filter((r) => r.endpoint).map((r) => r.kind);
  }

  /** The raw object (for the read-only pool YAML view). */
  raw(kind: string, namespace: string | undefined, name: string): Obj | undefined {
    return this.watchers.get(kind)?.objects.get(`${namespace ?? ''}/${name}`);
  }

  resource(kind: string): Resource | undefined {
    return this.resources.find((r) => r.kind === kind);
  }
}
