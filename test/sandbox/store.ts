// In-memory object store: objects in their storage version, one global resourceVersion counter,
// a bounded event history for watches, and the finalizer/deletionTimestamp lifecycle.
import { randomUUID } from 'node:crypto';
import type { ResourceDef } from './kinds';
import { clone } from './json';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  rv: number;
  def: ResourceDef;
  /** The object after the change (for DELETED: its last state with the deletion's resourceVersion). */
  obj: Record<string, any>;
  /** The object before the change (undefined for ADDED). */
  prev?: Record<string, any>;
}

export type Listener = (ev: StoreEvent) => void;

export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function key(def: ResourceDef, ns: string | undefined, name: string): string {
  return `${def.group}/${def.kind}/${def.namespaced ? (ns ?? '') : ''}/${name}`;
}

type Entry = { def: ResourceDef; obj: Record<string, any> };

/** The list order of kube-apiserver (etcd's key order): `namespace/name`, compared by code unit. */
export const listKey = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const byListKey = (a: Entry, b: Entry) => (listKey(a.obj) < listKey(b.obj) ? -1 : listKey(a.obj) > listKey(b.obj) ? 1 : 0);

export class Store {
  private rv = 0;
  private readonly objects = new Map<string, Entry>();
  /** Per kind, so a list reads only its kind; sorted lazily, once per change of membership. */
  private readonly kinds = new Map<ResourceDef, Map<string, Entry>>();
  private readonly sorted = new Map<ResourceDef, Entry[]>();
  private history: StoreEvent[] = [];
  /** Watches from a resourceVersion below this one cannot be served (410 Expired). */
  private compactedRv = 0;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly historyLimit = 1000) {}

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestServable(): number {
    return this.compactedRv;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get(def: ResourceDef, ns: string | undefined, name: string): Record<string, any> | undefined {
    const e = this.objects.get(key(def, ns, name));
    return e ? clone(e.obj) : undefined;
  }

  list(def: ResourceDef, ns?: string): Record<string, any>[] {
    return [...this.scan(def, ns)];
  }

  /**
   * Copies of the objects of a kind in list order, from the first whose list key is above `after`
   * (a binary search: a page of a 100,000-object list reads its page, not the list), that `match`.
   */
  *scan(def: ResourceDef, ns?: string, after?: string, match: (o: Record<string, any>) => boolean = () => true): Generator<Record<string, any>> {
    const entries = this.inOrder(def);
    let i = 0;
    if (after !== undefined) {
      let hi = entries.length;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if (listKey(entries[mid]!.obj) <= after) i = mid + 1;
        else hi = mid;
      }
    }
    for (; i < entries.length; i++) {
      const o = entries[i]!.obj;
      if (ns !== undefined && def.namespaced && o.metadata?.namespace !== ns) continue;
      if (match(o)) yield clone(o);
    }
  }

  private inOrder(def: ResourceDef): Entry[] {
    let s = this.sorted.get(def);
    if (!s) this.sorted.set(def, (s = [...(this.kinds.get(def)?.values() ?? [])].sort(byListKey)));
    return s;
  }

  private put(k: string, e: Entry): void {
    this.objects.set(k, e);
    let m = this.kinds.get(e.def);
    if (!m) this.kinds.set(e.def, (m = new Map()));
    m.set(k, e);
    this.sorted.delete(e.def);
  }

  private drop(k: string, def: ResourceDef): void {
    this.objects.delete(k);
    this.kinds.get(def)?.delete(k);
    this.sorted.delete(def);
  }

  /** Every object in a namespace, of any kind. */
  inNamespace(ns: string): { def: ResourceDef; obj: Record<string, any> }[] {
    return [...this.objects.values()].filter((e) => e.def.namespaced && e.obj.metadata?.namespace === ns).map((e) => ({ def: e.def, obj: clone(e.obj) }));
  }

  /** Events after `rv`, or undefined when the history no longer reaches back that far. */
  eventsSince(rv: number): StoreEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    return this.history.filter((e) => e.rv > rv);
  }

  /** Forgets the event history: any watch from an older resourceVersion gets 410 Expired. */
  compact(): void {
    this.history = [];
    this.compactedRv = this.rv;
  }

  /** Inserts a new object (metadata fields filled here); the caller checked that it does not exist. */
  insert(def: ResourceDef, obj: Record<string, any>): Record<string, any> {
    const o = clone(obj);
    o.metadata = { ...(o.metadata ?? {}) };
    o.metadata.uid = randomUUID();
    o.metadata.creationTimestamp = nowTimestamp();
    o.metadata.resourceVersion = String(++this.rv);
    if (!def.core || def.kind !== 'Namespace') o.metadata.generation = 1;
    delete o.metadata.deletionTimestamp;
    this.put(key(def, o.metadata.namespace, o.metadata.name), { def, obj: o });
    this.emit({ type: 'ADDED', rv: this.rv, def, obj: clone(o) });
    return clone(o);
  }

  exists(def: ResourceDef, ns: string | undefined, name: string): boolean {
    return this.objects.has(key(def, ns, name));
  }

  /**
   * Replaces a stored object. Bumps the resourceVersion, and the generation when anything but
   * metadata/status changed. An object being deleted whose last finalizer goes away is removed.
   */
  replace(def: ResourceDef, obj: Record<string, any>): Record<string, any> {
    const k = key(def, obj.metadata?.namespace, obj.metadata?.name);
    const cur = this.objects.get(k);
    if (!cur) throw new Error(`store: ${k} does not exist`);
    const prev = cur.obj;
    const o = clone(obj);
    o.metadata = { ...o.metadata, uid: prev.metadata.uid, creationTimestamp: prev.metadata.creationTimestamp };
    if (prev.metadata.deletionTimestamp) {
      o.metadata.deletionTimestamp = prev.metadata.deletionTimestamp;
      o.metadata.deletionGracePeriodSeconds = prev.metadata.deletionGracePeriodSeconds;
    }
    if (prev.metadata.generation !== undefined) {
      const { metadata: _a, status: _b, ...restNew } = o;
      const { metadata: _c, status: _d, ...restOld } = prev;
      o.metadata.generation = JSON.stringify(restNew) === JSON.stringify(restOld) ? prev.metadata.generation : prev.metadata.generation + 1;
    }
    if (o.metadata.finalizers && o.metadata.finalizers.length === 0) delete o.metadata.finalizers;
    o.metadata.resourceVersion = String(++this.rv);
    if (o.metadata.deletionTimestamp && !o.metadata.finalizers?.length && !(def.kind === 'Namespace' && def.group === '' && o.spec?.finalizers?.length)) {
      // Like kube-apiserver, the DELETED event carries the last stored state (still with its finalizers).
      this.drop(k, def);
      this.emit({
        type: 'DELETED',
        rv: this.rv,
        def,
        obj: { ...clone(prev), metadata: { ...clone(prev.metadata), resourceVersion: o.metadata.resourceVersion } },
        prev: clone(prev),
      });
      return clone(o);
    }
    cur.obj = o;
    this.emit({ type: 'MODIFIED', rv: this.rv, def, obj: clone(o), prev: clone(prev) });
    return clone(o);
  }

  /**
   * Deletes: with finalizers the object only gets a deletionTimestamp (MODIFIED); without, it is
   * removed (DELETED). Returns the object's last state and whether it is gone.
   */
  remove(def: ResourceDef, ns: string | undefined, name: string): { obj: Record<string, any>; gone: boolean } | undefined {
    const k = key(def, ns, name);
    const cur = this.objects.get(k);
    if (!cur) return undefined;
    const prev = cur.obj;
    if (prev.metadata.finalizers?.length) {
      if (prev.metadata.deletionTimestamp) return { obj: clone(prev), gone: false };
      const o = clone(prev);
      o.metadata.deletionTimestamp = nowTimestamp();
      o.metadata.deletionGracePeriodSeconds = 0;
      o.metadata.resourceVersion = String(++this.rv);
      cur.obj = o;
      this.emit({ type: 'MODIFIED', rv: this.rv, def, obj: clone(o), prev: clone(prev) });
      return { obj: clone(o), gone: false };
    }
    this.drop(k, def);
    const o = clone(prev);
    o.metadata.resourceVersion = String(++this.rv);
    this.emit({ type: 'DELETED', rv: this.rv, def, obj: clone(o), prev: clone(prev) });
    return { obj: clone(o), gone: true };
  }

  private pending: StoreEvent[] = [];
  private emitting = false;

  /** Listeners see events in resourceVersion order, also when one of them writes. */
  private emit(ev: StoreEvent): void {
    this.history.push(ev);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRv = dropped[dropped.length - 1]!.rv;
    }
    this.pending.push(ev);
    if (this.emitting) return;
    this.emitting = true;
    try {
      while (this.pending.length) {
        const next = this.pending.shift()!;
        for (const l of [...this.listeners]) {
          try {
            l(next);
          } catch (e) {
            console.error('sandbox: store listener failed:', e);
          }
        }
      }
    } finally {
      this.emitting = false;
    }
  }
}
