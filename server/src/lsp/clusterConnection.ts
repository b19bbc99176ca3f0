// Which management cluster the server talks to, if any: follows settings and workspace trust.
// In an untrusted or virtual workspace no kubeconfig is read (a kubeconfig can run commands).
import type { ConnectionState } from '../protocol';
import { LiveCluster } from '../live/liveCluster';
import { loadKubeConfig, redactUrls } from '../live/kube';
import type { ServerSettings } from './settings';
import { cachedAge } from '../cachedAge';

export interface ConnectionEvents {
  state(s: ConnectionState): void;
  inventoryChanged(): void;
  log(message: string): void;
}

export class ClusterConnection {
  private live: LiveCluster | undefined;
  private current: ConnectionState = { state: 'offline' };
  private key = '';

  constructor(private readonly events: ConnectionEvents) {}

  get cluster(): LiveCluster | undefined {
    return this.live;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Live inventory when connected and listed; undefined offline. */
  inventory() {
    return this.live?.ready ? this.live.inventory() : undefined;
  }

  configure(settings: ServerSettings, trusted: boolean, virtual: boolean): void {
    const key = JSON.stringify([settings.kubeconfig, settings.context, settings.offline, settings.requestTimeoutSeconds, trusted, virtual]);
    if (key === this.key) return;
    this.key = key;
    this.stop();
    if (!trusted) return this.set({ state: 'untrusted', reason: 'Restricted Mode: no kubeconfig is read and no cluster is contacted' });
    if (virtual) return this.set({ state: 'offline', reason: 'virtual workspace: offline checks only' });
    if (settings.offline) return this.set({ state: 'offline', reason: 'capiIpam.offline is set: using pools declared in the workspace' });
    let loaded;
    try {
      loaded = loadKubeConfig({ kubeconfig: settings.kubeconfig || undefined, context: settings.context || undefined });
    } catch (e) {
      const why = redactUrls((e as Error).message.split('\n')[0]!);
      return this.set({ state: 'offline', reason: `no cluster configured (${why}): using pools declared in the workspace` });
    }
    if (loaded.server === 'http://localhost:8080' && !settings.kubeconfig && !process.env.KUBECONFIG) {
      // client-node's last-resort default: there is no kubeconfig at all.
      return this.set({ state: 'offline', reason: 'no kubeconfig found: using pools declared in the workspace' });
    }
    // A server URL can carry a password (https://user:pw@host): never in a log or the status bar.
    const server = redactUrls(loaded.server);
    this.events.log(`connecting to context ${loaded.context} (${server})`);
    const base = { context: loaded.context, server };
    this.live = new LiveCluster(
      loaded,
      {
        changed: () => this.events.inventoryChanged(),
        state: (s) => {
          const cachedAt = s.state === 'unreachable' || s.state === 'forbidden' ? this.live?.staleSince : undefined;
          this.set({ ...base, state: s.state, reason: s.reason, ...(cachedAt !== undefined ? { cachedAt } : {}) });
          if (s.state !== 'connecting') this.events.inventoryChanged();
        },
        log: (m) => this.events.log(m),
      },
      settings.requestTimeoutSeconds * 1000,
    );
    this.set({ ...base, state: 'connecting', reason: `connecting to ${server}` });
    this.live.start();
  }

  /** Live data that is only a cache now: the time it stopped being live, else undefined. */
  get cachedAt(): number | undefined {
    return this.live?.ready ? this.current.cachedAt : undefined;
  }

  /** Why an allocation cannot run now, or undefined when it can. */
  get allocationBlocked(): string | undefined {
    if (this.current.state === 'connected' && this.live?.ready) return undefined;
    const why = this.current.reason ? `: ${this.current.reason}` : '';
    const cache = this.cachedAt !== undefined ? ` (showing data ${cachedAge(this.cachedAt)})` : '';
    return `Allocation needs the management cluster, which is ${this.current.state}${why}${cache}.`;
  }

  /** "Retry now": the failing watches (or discovery) try again at once; nothing cached is dropped. */
  retryNow(settings: ServerSettings, trusted: boolean, virtual: boolean): void {
    if (this.live) this.live.retryNow();
    else this.restart(settings, trusted, virtual);
  }

  /** Connects anew even though the settings are unchanged: "Retry now" before any connection came up. */
  private restart(settings: ServerSettings, trusted: boolean, virtual: boolean): void {
    this.key = '';
    this.configure(settings, trusted, virtual);
  }

  stop(): void {
    this.live?.stop();
    this.live = undefined;
  }

  private set(s: ConnectionState): void {
    if (JSON.stringify(s) === JSON.stringify(this.current)) return;
    this.current = s;
    this.events.log(`connection: ${s.state}${s.reason ? ' — ' + s.reason : ''}`);
    this.events.state(s);
  }
}
