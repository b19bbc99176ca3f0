// The one list-then-watch mechanism of the live code: the inventory's collections (LiveCluster)
// and the wait for an allocated address (allocator.ts). List in pages, then watch from the list's
// resourceVersion; re-list on 410; reconnect with capped backoff after any other failure.
// Liveness: a hung API server (or a black-holed network) keeps the watch's connection open and sends
// nothing, not even an error, so silence itself is the failure. Every watch asks for bookmarks and
// for a server-side end after half the liveness window (kube-apiserver sends a bookmark 2 s before
// that end; the sandbox one per heartbeat); a watch, or a watch being opened, that brings nothing for
// the whole window is abandoned and the collection listed again — a list is bounded by its request
// timeout, so a server that still does not answer is reported as failing within window + timeout.
//
// Why not client-node's informer (makeInformer/ListWatch, 1.4): it stops for good on any error but
// 410, and when restarted it re-watches from its old resourceVersion without listing again, so a
// revoked token shows up as a broken watch rather than as the list's 401/403 that the connection
// state reports; it calls back once per object (100,000 callbacks for one list, where the
// inventory wants one change); and it asks for no bookmarks. Its list function could page, but
// the rest would be a wrapper as large as this loop.
import { k8s, type ApiStatus, statusOf } from './kube';

export type Obj = { metadata?: { name?: string; namespace?: string; resourceVersion?: string }; [k: string]: unknown };

export interface WatcherEvents {
  /** The set of objects changed (after the initial list too). */
  changed(): void;
  /** Healthy again after a list succeeded, or failing with a reason. */
  health(ok: boolean, problem?: ApiStatus): void;
  /** Diagnostics for the output channel (never credentials). */
  log?(message: string): void;
}

export interface ListResult {
  items: Obj[];
  metadata?: { resourceVersion?: string; continue?: string; _continue?: string };
}

/** One page of a list; `_continue` is client-node's name for the `continue` query parameter. */
export type ListPage = (page: { limit: number; _continue?: string }) => Promise<ListResult>;

const PAGE_SIZE = 500;

/**
 * Drops metadata.managedFields, which nothing here reads and which is often the biggest part of an
 * object a real API server sends (client-go's informers are told to do the same): 100,000 of them
 * would be most of the inventory's memory.
 */
function slim(o: Obj): Obj {
  if (o?.metadata && 'managedFields' in o.metadata) delete (o.metadata as Record<string, unknown>).managedFields;
  return o;
}

/**
 * Lists a whole collection in pages of 500, as kubectl does: one response for 100,000 IPAddresses
 * would hold the whole collection in memory twice (text and objects) and can outlast a timeout.
 * The resourceVersion is the first page's: the snapshot the pages belong to.
 */
export async function listAll(page: ListPage): Promise<{ items: Obj[]; resourceVersion?: string }> {
  const items: Obj[] = [];
  let token: string | undefined;
  let resourceVersion: string | undefined;
  do {
    const r = await page({ limit: PAGE_SIZE, _continue: token });
    for (const o of r.items) items.push(slim(o));
    resourceVersion ??= r.metadata?.resourceVersion;
    // Typed clients (core) rename the field `_continue`; custom objects are plain JSON (`continue`).
    token = r.metadata?._continue || r.metadata?.continue || undefined;
  } while (token);
  return { items, resourceVersion };
}

const key = (o: Obj) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export interface WatcherOptions {
  /** Reconnect backoff cap (default 30 s). */
  maxBackoffMs?: number;
  /** How long a watch may bring nothing before it is considered dead (default 30 s). */
  livenessMs?: number;
}

export class ListWatcher {
  readonly objects = new Map<string, Obj>();
  private rv: string | undefined;
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private backoffMs = 500;
  /** Watches that failed in a row (a list in between may have succeeded). */
  private watchFailures = 0;
  /** Number of successful lists, for tests and for knowing when the first list arrived. */
  lists = 0;
  /** The current watch's number: callbacks of an abandoned (ended, silent, stopped) watch are ignored. */
  private generation = 0;
  private silence: NodeJS.Timeout | undefined;
  private readonly maxBackoffMs: number;
  private readonly livenessMs: number;

  constructor(
    private readonly kc: k8s.KubeConfig,
    private readonly path: string,
    private readonly list: ListPage,
    private readonly events: WatcherEvents,
    private readonly query: Record<string, string> = {},
    options: WatcherOptions = {},
  ) {
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.livenessMs = options.livenessMs ?? 30_000;
  }

  start(): void {
    this.stopped = false;
    void this.cycle();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    clearTimeout(this.timer);
    clearTimeout(this.silence);
    this.abort?.abort();
    this.abort = undefined;
  }

  /** After a failure: try again now rather than at the end of the backoff ("Retry now"). */
  retryNow(): void {
    if (this.stopped || this.abort) return;
    clearTimeout(this.timer);
    this.backoffMs = 500;
    void this.cycle();
  }

  private retry(problem: ApiStatus): void {
    if (this.stopped) return;
    const what = problem.opaque ? 'failed before the request was sent' : `${problem.code ?? ''} ${problem.message}`;
    this.events.log?.(`${this.path}: ${what}; retrying in ${this.backoffMs} ms`);
    this.events.health(false, problem);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.cycle(), this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
  }

  private async cycle(): Promise<void> {
    if (this.stopped) return;
    if (this.rv === undefined) {
      try {
        const list = await listAll(this.list);
        if (this.stopped) return;
        this.objects.clear();
        for (const o of list.items) this.objects.set(key(o), o);
        this.rv = list.resourceVersion;
        this.lists++;
        this.backoffMs = 500;
        this.events.health(true);
        this.events.changed();
      } catch (e) {
        this.retry(statusOf(e));
        return;
      }
    }
    // A listener may have stopped the watcher on the list's change (an awaited address was there).
    if (this.stopped) return;
    let gone = false;
    const generation = ++this.generation;
    this.heard(generation);
    const watch = new k8s.Watch(this.kc);
    const timeoutSeconds = Math.max(1, Math.floor(this.livenessMs / 2000));
    try {
      const abort = await watch.watch(
        this.path,
        { ...this.query, resourceVersion: this.rv, allowWatchBookmarks: true, timeoutSeconds },
        (type: string, obj: Obj) => {
          if (generation !== this.generation) return;
          this.heard(generation);
          if (type === 'ERROR') {
            if ((obj as { code?: number }).code === 410) gone = true;
            return;
          }
          if (obj?.metadata?.resourceVersion) this.rv = obj.metadata.resourceVersion;
          this.watchFailures = 0;
          if (type === 'BOOKMARK') return;
          if (type === 'DELETED') this.objects.delete(key(obj));
          else this.objects.set(key(obj), slim(obj));
          this.backoffMs = 500;
          this.events.changed();
        },
        (err: unknown) => generation === this.generation && this.ended(err, gone),
      );
      // Stopped, ended or silent while the watch was being opened: client-node's open cannot be cut short.
      if (generation !== this.generation) abort.abort();
      else this.abort = abort;
    } catch (e) {
      if (generation === this.generation) this.ended(e, gone);
    }
  }

  /** Something arrived on (or opened) watch `generation`: the liveness window starts again. */
  private heard(generation: number): void {
    clearTimeout(this.silence);
    this.silence = setTimeout(() => this.silent(generation), this.livenessMs);
  }

  /** Nothing for the whole window: the watch is dead although its connection is open. List again. */
  private silent(generation: number): void {
    if (generation !== this.generation || this.stopped) return;
    this.generation++;
    this.abort?.abort();
    this.abort = undefined;
    this.events.log?.(`${this.path}: nothing arrived for ${Math.round(this.livenessMs / 1000)} s (not even a bookmark): listing again`);
    this.rv = undefined;
    void this.cycle();
  }

  private ended(err: unknown, gone: boolean): void {
    this.generation++;
    clearTimeout(this.silence);
    this.abort = undefined;
    if (this.stopped) return;
    const s = err ? statusOf(err) : undefined;
    if (gone || s?.code === 410) {
      this.rv = undefined; // expired: list again
      void this.cycle();
      return;
    }
    if (!err) {
      // Clean close by the server: resume from the last resourceVersion after a short pause.
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.cycle(), 200);
      return;
    }
    // A watch that broke (server restart, proxy timeout…): list again, since events may have been
    // missed. Only report trouble if that keeps failing, so a routine reconnect never flickers.
    this.rv = undefined;
    this.watchFailures++;
    if (this.watchFailures >= 3) {
      this.retry(s!);
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.cycle(), 250 * 2 ** this.watchFailures);
  }
}
