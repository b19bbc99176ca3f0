// Host names in endpoint places are resolved off the keystroke path: rules read only this cache,
// a miss starts a lookup (1 s timeout) and the owner re-publishes when it completes. The lookup
// itself is injected (dns.lookup in the server and the CLI, a table in tests): the engine does no I/O.

export type Lookup = (host: string) => Promise<string[]>;
export type Resolution = { addresses: string[] } | { error: string };

export const RESOLVE_TIMEOUT_MS = 1000;
const TTL_MS = 60_000;
/** A failed lookup (a timeout under load, say) is retried sooner. */
const FAILED_TTL_MS = 5_000;

export class HostResolver {
  private readonly cache = new Map<string, { result?: Resolution; at: number; pending?: Promise<void> }>();

  constructor(
    private readonly lookup: Lookup,
    /** Called when a lookup started by `get` has completed (not for `resolveAll`). */
    private readonly onResolved: () => void = () => undefined,
    private readonly timeoutMs = RESOLVE_TIMEOUT_MS,
  ) {}

  /** The cached resolution of `host`; undefined while unknown. Never waits: a miss starts a lookup. */
  get(host: string): Resolution | undefined {
    const hit = this.cache.get(host);
    const ttl = hit?.result && 'error' in hit.result ? FAILED_TTL_MS : TTL_MS;
    if (!hit || (!hit.pending && Date.now() - hit.at > ttl)) void this.start(host, true);
    return hit?.result;
  }

  /** Resolves every host now (the CLI, before it analyses). */
  async resolveAll(hosts: Iterable<string>): Promise<void> {
    await Promise.all([...new Set(hosts)].map((h) => this.cache.get(h)?.pending ?? this.start(h, false)));
  }

  private start(host: string, notify: boolean): Promise<void> {
    const entry = this.cache.get(host) ?? { at: 0 };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs / 1000} s`)), this.timeoutMs);
    });
    entry.pending = Promise.race([this.lookup(host), timeout])
      .then(
        (addresses): Resolution => ({ addresses }),
        (e: Error): Resolution => ({ error: (e as { code?: string }).code ?? e.message }),
      )
      .then((result) => {
        clearTimeout(timer);
        const changed = JSON.stringify(result) !== JSON.stringify(entry.result);
        Object.assign(entry, { result, at: Date.now(), pending: undefined });
        if (notify && changed) this.onResolved();
      });
    this.cache.set(host, entry);
    return entry.pending;
  }
}
