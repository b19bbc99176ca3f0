// The in-cluster IPAM provider (CAIP) as a controller inside the sandbox: claim reconciles
// (finalizer first, lowest free address, IPAddress named after the claim, release on deletion)
// and pool reconciles (ProtectPool finalizer, status.ipAddresses), one reconcile at a time.
// Follows CAIP's controllers step by step (internal/controllers/ipaddressclaim.go, inclusterippool.go; pkg/ipamutil/reconciler.go); pool arithmetic is the engine's (server/src/engine/ip/pool).
import { analyzePool, findFree, poolStatus } from '../../server/src/engine/ip/pool';
import { addressesOfPool, poolSpec } from './admission';
import { CAPI, IPAM, RESOURCES, type ResourceDef } from './kinds';
import { clone, deepEqual, jsonInt } from './json';
import type { Store, StoreEvent } from './store';

export const RELEASE_ADDRESS = 'ipam.cluster.x-k8s.io/ReleaseAddress';
export const PROTECT_ADDRESS = 'ipam.cluster.x-k8s.io/ProtectAddress';
export const PROTECT_POOL = 'ipam.cluster.x-k8s.io/ProtectPool';
export const PAUSED = 'cluster.x-k8s.io/paused';
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

/** Kinds CAIP reconciles claims for; the prefix pools are not served here, so such claims find no pool. */
const CAIP_KINDS = new Set(['InClusterIPPool', 'GlobalInClusterIPPool', 'InClusterPrefixPool', 'GlobalInClusterPrefixPool']);

const def = (group: string, kind: string): ResourceDef => RESOURCES.find((r) => r.group === group && r.kind === kind)!;
const CLAIM = () => def(IPAM, 'IPAddressClaim');
const ADDRESS = () => def(IPAM, 'IPAddress');
const CLUSTER = () => def(CAPI, 'Cluster');
const poolDef = (kind: string) =>
  RESOURCES.find((r) => r.group === IPAM && r.kind === kind && (kind === 'InClusterIPPool' || kind === 'GlobalInClusterIPPool'));

type Key = string; // "claim|ns|name" or "pool|kind|ns|name"

export interface ProviderOptions {
  /** Delay before a queued reconcile runs (a controller's reaction time). */
  delayMs?: number;
  /** Longest retry delay for failed reconciles (exhausted pools, errors). */
  maxBackoffMs?: number;
}

export class Provider {
  private readonly queue: Key[] = [];
  private readonly queued = new Set<Key>();
  private readonly backoff = new Map<Key, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = false;
  private paused = false;
  private unsubscribe?: () => void;
  private idleWaiters: (() => void)[] = [];
  /** Every reconcile outcome, newest last (for tests and debugging). */
  readonly log: { key: string; result: string }[] = [];
  private readonly delayMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly store: Store,
    opts: ProviderOptions = {},
  ) {
    this.delayMs = opts.delayMs ?? 20;
    this.maxBackoffMs = opts.maxBackoffMs ?? 2000;
  }

  start(): void {
    this.unsubscribe = this.store.subscribe((ev) => this.onEvent(ev));
    for (const c of this.store.list(CLAIM())) this.enqueue(claimKey(c));
    for (const kind of ['InClusterIPPool', 'GlobalInClusterIPPool']) for (const p of this.store.list(poolDef(kind)!)) this.enqueue(poolKey(kind, p));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const t of this.timers) {
      clearTimeout(t);
      clearImmediate(t as unknown as NodeJS.Immediate);
    }
    this.timers.clear();
    this.queue.length = 0;
    this.queued.clear();
    this.flushIdle();
  }

  /** While paused (API server down), events still queue but nothing runs. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.kick();
  }

  /** Resolves once no reconcile is queued or running (delayed retries do not count). */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private flushIdle(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    w.forEach((f) => f());
  }

  enqueue(key: Key): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.kick();
  }

  private retryLater(key: Key): void {
    const prev = this.backoff.get(key);
    const next = Math.min(prev === undefined ? Math.max(this.delayMs, 10) * 2 : prev * 2, this.maxBackoffMs);
    this.backoff.set(key, next);
    this.requeueAfter(key, next);
  }

  private requeueAfter(key: Key, next: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.unsubscribe) this.enqueue(key);
    }, next);
    t.unref?.();
    this.timers.add(t);
  }

  private kick(): void {
    if (this.running || this.paused || this.queue.length === 0) return;
    this.running = true;
    // Without a delay, the next reconcile runs on the next turn of the event loop (a timer of 0
    // waits at least 1 ms: 100 s for 100,000 seeded claims).
    const later = (f: () => void) => (this.delayMs > 0 ? setTimeout(f, this.delayMs) : (setImmediate(f) as unknown as NodeJS.Timeout));
    const t = later(() => {
      this.timers.delete(t);
      const key = this.queue.shift();
      if (key !== undefined) this.queued.delete(key);
      try {
        if (key !== undefined) {
          const result = key.startsWith('claim|') ? this.reconcileClaim(key) : this.reconcilePool(key);
          this.log.push({ key, result });
          if (this.log.length > 2000) this.log.splice(0, 1000);
          if (result.startsWith('retry')) this.retryLater(key);
          else this.backoff.delete(key);
        }
      } catch (e) {
        console.error('sandbox provider: reconcile failed:', e);
        if (key !== undefined) this.retryLater(key);
      } finally {
        this.running = false;
        if (this.queue.length === 0) this.flushIdle();
        this.kick();
      }
    });
    this.timers.add(t);
  }

  // ---- event → queue mapping (ipaddressclaim.go and inclusterippool.go watches) -----------------

  private onEvent(ev: StoreEvent): void {
    const { def: d, obj, prev } = ev;
    if (d.group === IPAM && d.kind === 'IPAddressClaim') {
      this.enqueue(claimKey(obj));
      return;
    }
    if (d.group === IPAM && d.kind === 'IPAddress') {
      this.enqueue(`claim|${obj.metadata.namespace}|${obj.spec?.claimRef?.name ?? obj.metadata.name}`);
      const ref = obj.spec?.poolRef ?? {};
      const pd = ref.apiGroup === IPAM ? poolDef(ref.kind) : undefined;
      if (pd) this.enqueue(`pool|${pd.kind}|${pd.namespaced ? obj.metadata.namespace : ''}|${ref.name}`);
      return;
    }
    if (d.group === IPAM && (d.kind === 'InClusterIPPool' || d.kind === 'GlobalInClusterIPPool')) {
      this.enqueue(poolKey(d.kind, obj));
      const pausedNow = isPaused(obj);
      const wake =
        (ev.type === 'ADDED' && !pausedNow) ||
        (ev.type === 'MODIFIED' && prev && isPaused(prev) && !pausedNow) ||
        (ev.type === 'MODIFIED' && prev && Number(prev.status?.ipAddresses?.free ?? -1) === 0 && Number(obj.status?.ipAddresses?.free ?? 0) > 0);
      if (wake) this.enqueueClaimsOfPool(d, obj);
      return;
    }
    if (d.group === CAPI && d.kind === 'Cluster') {
      const pausedNow = clusterPaused(obj);
      const wake = ((ev.type === 'ADDED' || ev.type === 'DELETED') && !pausedNow) || (ev.type === 'MODIFIED' && prev && clusterPaused(prev) && !pausedNow);
      if (!wake) return;
      for (const c of this.store.list(CLAIM(), obj.metadata.namespace)) {
        if (clusterNameOf(c) === obj.metadata.name) this.enqueue(claimKey(c));
      }
    }
  }

  private enqueueClaimsOfPool(pd: ResourceDef, pool: Record<string, any>): void {
    for (const c of this.store.list(CLAIM(), pd.namespaced ? pool.metadata.namespace : undefined)) {
      const ref = c.spec?.poolRef ?? {};
      if (ref.apiGroup === IPAM && ref.kind === pd.kind && ref.name === pool.metadata.name) this.enqueue(claimKey(c));
    }
  }

  // ---- claim reconcile (pkg/ipamutil/reconciler.go, ipaddressclaim_address.go) ------------------

  private reconcileClaim(key: Key): string {
    const [, ns, name] = key.split('|') as [string, string, string];
    const claim = this.store.get(CLAIM(), ns, name);
    if (!claim) return 'gone';
    const ref = claim.spec?.poolRef ?? {};
    if (ref.apiGroup !== IPAM || !CAIP_KINDS.has(ref.kind)) return 'ignored: not a CAIP pool';
    if (isPaused(claim)) return 'claim paused';
    const deleting = Boolean(claim.metadata.deletionTimestamp);

    // 1. Cluster pause check.
    const clusterName = clusterNameOf(claim);
    if (clusterName) {
      const cluster = this.store.get(CLUSTER(), ns, clusterName);
      if (!cluster && !deleting) return 'waiting: cluster not found';
      if (cluster && clusterPaused(cluster)) return 'waiting: cluster paused';
    }

    // 2. Finalizer, in its own step.
    if (!deleting && !(claim.metadata.finalizers ?? []).includes(RELEASE_ADDRESS)) {
      const next = clone(claim);
      next.metadata.finalizers = [...(next.metadata.finalizers ?? []), RELEASE_ADDRESS];
      this.store.replace(CLAIM(), next);
      return 'finalizer added';
    }

    // 3. Fetch the pool.
    const pd = poolDef(ref.kind);
    const pool = pd ? this.store.get(pd, pd.namespaced ? ns : undefined, ref.name) : undefined;
    if (!pool || !pd) {
      if (deleting) return this.releaseClaim(claim);
      return 'waiting: pool not found';
    }

    // 4. Pool paused (also blocks deletion).
    if (isPaused(pool)) return 'waiting: pool paused';

    // 5. Deletion, after the pool's address reuse grace period (skipped while the pool is being deleted).
    if (deleting) {
      const grace = Number(pool.spec?.addressReuseGracePeriodSeconds ?? 0);
      const remaining = grace * 1000 - (Date.now() - Date.parse(claim.metadata.deletionTimestamp));
      if (!pool.metadata.deletionTimestamp && grace > 0 && remaining > 0) {
        this.requeueAfter(key, remaining);
        return `waiting: address reuse grace period, ${Math.ceil(remaining / 1000)} s left`;
      }
      return this.releaseClaim(claim);
    }

    // 6. Ensure the IPAddress. It is named after the claim: looked up by name, so a claim that
    // holds its address costs O(1), not a read of the pool's other addresses.
    const existing = this.store.get(ADDRESS(), ns, name);
    let address = existing && refersTo(existing, pd, pool) ? existing : undefined;
    if (!address) {
      if (existing) return 'retry: IPAddress spec is immutable (same-named address of another pool)';
      const inUse = addressesOfPool(this.store, pd, pool);
      const spec = poolSpec(pool);
      const analysis = analyzePool(spec);
      if (analysis.errors.length) return 'retry: invalid pool';
      const used = inUse.map((a) => String(a.spec?.address ?? ''));
      if (spec.gateway) used.push(spec.gateway);
      const ip = findFree(analysis, used);
      if (ip === undefined) return 'retry: failed to create or patch address: failed to find free address: no address available';
      const obj: Record<string, any> = {
        apiVersion: `${IPAM}/v1beta2`,
        kind: 'IPAddress',
        metadata: { name, namespace: ns },
        spec: {
          claimRef: { name },
          poolRef: { apiGroup: IPAM, kind: pd.kind, name: pool.metadata.name },
          address: ip,
          prefix: pool.spec.prefix,
          ...(typeof pool.spec.gateway === 'string' && pool.spec.gateway !== '' ? { gateway: pool.spec.gateway } : {}),
        },
      };
      decorate(obj, claim, pd, pool);
      address = this.store.insert(ADDRESS(), obj);
    } else {
      const next = clone(address);
      decorate(next, claim, pd, pool);
      if (!deepEqual(next.metadata, address.metadata)) address = this.store.replace(ADDRESS(), next);
    }

    // 8. status.addressRef.
    if (claim.status?.addressRef?.name !== name) {
      const fresh = this.store.get(CLAIM(), ns, name);
      if (!fresh) return 'gone';
      fresh.status = { ...(fresh.status ?? {}), addressRef: { name } };
      this.store.replace(CLAIM(), fresh);
      return `allocated ${address.spec.address}`;
    }
    return `ready ${address.spec.address}`;
  }

  private releaseClaim(claim: Record<string, any>): string {
    const { namespace: ns, name } = claim.metadata;
    const addr = this.store.get(ADDRESS(), ns, name);
    if (addr) {
      if ((addr.metadata.finalizers ?? []).includes(PROTECT_ADDRESS)) {
        const next = clone(addr);
        next.metadata.finalizers = next.metadata.finalizers.filter((f: string) => f !== PROTECT_ADDRESS);
        this.store.replace(ADDRESS(), next);
      }
      if (this.store.get(ADDRESS(), ns, name)) this.store.remove(ADDRESS(), ns, name);
    }
    const fresh = this.store.get(CLAIM(), ns, name);
    if (fresh && (fresh.metadata.finalizers ?? []).includes(RELEASE_ADDRESS)) {
      fresh.metadata.finalizers = fresh.metadata.finalizers.filter((f: string) => f !== RELEASE_ADDRESS);
      this.store.replace(CLAIM(), fresh);
    }
    return 'released';
  }

  // ---- pool reconcile (inclusterippool.go) ------------------------------------------------------

  private reconcilePool(key: Key): string {
    const [, kind, ns, name] = key.split('|') as [string, string, string, string];
    const pd = poolDef(kind)!;
    let pool = this.store.get(pd, pd.namespaced ? ns : undefined, name);
    if (!pool) return 'gone';
    const addresses = addressesOfPool(this.store, pd, pool);
    if (pool.metadata.deletionTimestamp) {
      if (addresses.length === 0 && (pool.metadata.finalizers ?? []).includes(PROTECT_POOL)) {
        pool.metadata.finalizers = pool.metadata.finalizers.filter((f: string) => f !== PROTECT_POOL);
        this.store.replace(pd, pool);
        return 'pool released';
      }
      return 'pool deleting';
    }
    if (!(pool.metadata.finalizers ?? []).includes(PROTECT_POOL)) {
      pool.metadata.finalizers = [...(pool.metadata.finalizers ?? []), PROTECT_POOL];
      pool = this.store.replace(pd, pool);
    }
    const analysis = analyzePool(poolSpec(pool));
    if (analysis.errors.length) return 'retry: invalid pool';
    const st = poolStatus(
      analysis,
      addresses.map((a) => String(a.spec?.address ?? '')),
    );
    const ipAddresses = { total: jsonInt(st.total), used: st.used, free: jsonInt(st.free), outOfRange: jsonInt(st.outOfRange) };
    if (!deepEqual(pool.status?.ipAddresses, ipAddresses)) {
      const next = clone(pool);
      next.status = { ...(next.status ?? {}), ipAddresses };
      this.store.replace(pd, next);
      return `status ${st.total}/${st.used}/${st.free}`;
    }
    return 'status unchanged';
  }
}

function refersTo(address: Record<string, any>, pd: ResourceDef, pool: Record<string, any>): boolean {
  const ref = address.spec?.poolRef ?? {};
  return ref.apiGroup === IPAM && ref.kind === pd.kind && ref.name === pool.metadata.name;
}

function claimKey(c: Record<string, any>): Key {
  return `claim|${c.metadata.namespace}|${c.metadata.name}`;
}

function poolKey(kind: string, p: Record<string, any>): Key {
  return `pool|${kind}|${p.metadata.namespace ?? ''}|${p.metadata.name}`;
}

function isPaused(obj: Record<string, any>): boolean {
  return Boolean(obj.metadata?.annotations && PAUSED in obj.metadata.annotations);
}

function clusterPaused(cluster: Record<string, any>): boolean {
  return cluster.spec?.paused === true || isPaused(cluster);
}

function clusterNameOf(claim: Record<string, any>): string | undefined {
  const n = claim.spec?.clusterName || claim.metadata?.labels?.[CLUSTER_NAME_LABEL];
  return typeof n === 'string' && n !== '' ? n : undefined;
}

/** Owner references (existing first, then claim as controller, then pool), cluster label, finalizer. */
function decorate(addr: Record<string, any>, claim: Record<string, any>, pd: ResourceDef, pool: Record<string, any>): void {
  const md = addr.metadata;
  const refs: any[] = (md.ownerReferences ?? []).filter((r: any) => r.uid !== claim.metadata.uid && r.uid !== pool.metadata.uid);
  refs.push({
    apiVersion: `${IPAM}/v1beta2`,
    kind: 'IPAddressClaim',
    name: claim.metadata.name,
    uid: claim.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  });
  refs.push({ apiVersion: `${IPAM}/v1alpha2`, kind: pd.kind, name: pool.metadata.name, uid: pool.metadata.uid, controller: false, blockOwnerDeletion: true });
  md.ownerReferences = refs;
  const label = claim.metadata.labels?.[CLUSTER_NAME_LABEL];
  if (label !== undefined) md.labels = { ...(md.labels ?? {}), [CLUSTER_NAME_LABEL]: label };
  if (!(md.finalizers ?? []).includes(PROTECT_ADDRESS)) md.finalizers = [...(md.finalizers ?? []), PROTECT_ADDRESS];
}
