// Which management cluster the server talks to, if any: follows settings and workspace trust.
// In an untrusted or virtual workspace no kubeconfig is read (a kubeconfig can run commands).
import type { ConnectionState } from '../protocol';
import { LiveCluster } from '../live/liveCluster';
import { type LoadedConfig, loadKubeConfig, redactUrls } from '../live/kube';
import { Estate, type ClusterConnectionState, type ManagementEntry, stateOf } from '../live/estate';
import type { ServerSettings } from './settings';
import { cachedAge } from '../cachedAge';

export interface ConnectionEvents {
  state(s: ConnectionState): void;
  inventoryChanged(): void;
  /** The estate (management clusters, workload clusters, their states) changed. */
  estateChanged?(): void;
  log(message: string): void;
}

export class ClusterConnection {
  private live: LiveCluster | undefined;
  /** All management clusters and their workload clusters (issue 22); the first management cluster is `live`. */
  private estateWatch: Estate | undefined;
  private others: LiveCluster[] = [];
  private current: ConnectionState = { state: 'offline' };
  private key = '';

  constructor(private readonly events: ConnectionEvents) {}

  get cluster(): LiveCluster | undefined {
    return this.live;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Live inventory when connected and listed — every management cluster's, and the workload clusters' — undefined offline. */
  inventory() {
    if (this.estateWatch) return this.estateWatch.inventory();
    return this.live?.ready ? this.live.inventory() : undefined;
  }

  get estate(): Estate | undefined {
    return this.estateWatch;
  }

  configure(settings: ServerSettings, trusted: boolean, virtual: boolean): void {
    const key = JSON.stringify([
      settings.kubeconfig,
      settings.context,
      settings.offline,
      settings.requestTimeoutSeconds,
      trusted,
      virtual,
      settings.managementClusters,
      settings.workloadClusters,
      settings.maxConnections,
    ]);
    if (key === this.key) return;
    this.key = key;
    this.stop();
    if (!trusted) return this.set({ state: 'untrusted', reason: 'Restricted Mode: no kubeconfig is read and no cluster is contacted' });
    if (virtual) return this.set({ state: 'offline', reason: 'virtual workspace: offline checks only' });
    if (settings.offline) return this.set({ state: 'offline', reason: 'capiIpam.offline is set: using pools declared in the workspace' });
    let loaded;
    try {
      loaded = loadKubeConfig({ kubeconfig: settings.kubeconfig || undefined, context: settings.context || settings.managementClusters[0] || undefined });
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
        changed: () => {
          this.estateWatch?.managementChanged();
          this.events.inventoryChanged();
        },
        state: (s) => {
          const cachedAt = s.state === 'unreachable' || s.state === 'forbidden' ? this.live?.staleSince : undefined;
          this.set({ ...base, state: s.state, reason: s.reason, ...(cachedAt !== undefined ? { cachedAt } : {}) });
          this.estateWatch?.changed();
          if (s.state !== 'connecting') this.events.inventoryChanged();
        },
        log: (m) => this.events.log(m),
      },
      settings.requestTimeoutSeconds * 1000,
      { from: { managementCluster: loaded.context } },
    );
    this.estateWatch = this.startEstate(settings, loaded, this.live);
    this.set({ ...base, state: 'connecting', reason: `connecting to ${server}` });
    this.live.start();
    for (const o of this.others) o.start();
  }

  /** The other management clusters of `capiIpam.managementClusters`, and the workload clusters of all. */
  private startEstate(settings: ServerSettings, primary: LoadedConfig, live: LiveCluster): Estate {
    const entries: ManagementEntry[] = [{ context: primary.context, live, state: () => this.wireState(live) }];
    for (const context of new Set(settings.managementClusters)) {
      if (context === primary.context) continue;
      let config: LoadedConfig;
      try {
        config = loadKubeConfig({ kubeconfig: settings.kubeconfig || undefined, context });
      } catch (e) {
        this.events.log(`management cluster ${context}: ${redactUrls((e as Error).message.split('\n')[0]!)}`);
        continue;
      }
      const other: LiveCluster = new LiveCluster(
        config,
        {
          changed: () => {
            estate.managementChanged();
            this.events.inventoryChanged();
          },
          state: (s) => {
            this.events.log(`management cluster ${context}: ${s.state}${s.reason ? ' — ' + s.reason : ''}`);
            estate.changed();
            if (s.state !== 'connecting') this.events.inventoryChanged();
          },
          log: (m) => this.events.log(`${context}: ${m}`),
        },
        settings.requestTimeoutSeconds * 1000,
        { from: { managementCluster: context } },
      );
      this.others.push(other);
      entries.push({ context, live: other, state: () => this.wireState(other) });
    }
    const w = settings.workloadClusters;
    const estate = new Estate(
      entries,
      primary.kc,
      {
        workloadClusters: typeof w === 'string' ? w : 'contexts',
        contextMap: typeof w === 'string' ? {} : w,
        maxConnections: settings.maxConnections,
        timeoutMs: settings.requestTimeoutSeconds * 1000,
      },
      {
        changed: () => {
          this.events.inventoryChanged();
          this.events.estateChanged?.();
        },
        log: (m) => this.events.log(m),
      },
    );
    return estate;
  }

  /** A management cluster's connection as the Estate view shows it. */
  private wireState(live: LiveCluster): ClusterConnectionState {
    return { ...stateOf(live, live.state), context: live.config.context, server: redactUrls(live.config.server) };
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
    if (this.estateWatch) this.estateWatch.retryNow();
    else if (this.live) this.live.retryNow();
    else this.restart(settings, trusted, virtual);
  }

  /** Connects anew even though the settings are unchanged: "Retry now" before any connection came up. */
  private restart(settings: ServerSettings, trusted: boolean, virtual: boolean): void {
    this.key = '';
    this.configure(settings, trusted, virtual);
  }

  stop(): void {
    this.estateWatch?.stop();
    this.estateWatch = undefined;
    for (const o of this.others) o.stop();
    this.others = [];
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
