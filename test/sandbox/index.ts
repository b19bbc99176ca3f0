// startSandbox(): a Kubernetes-API-compatible HTTPS server with the in-cluster IPAM provider's
// behaviour, for tests and demos. See the modules for the parts: store, ops, admission,
// provider, server (HTTP), discovery, table, tls.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { Faults } from './faults';
import type { InFlight } from './inFlight';
import { KubeVipCloudProvider } from './kubeVipCloudProvider';
import { convert, findByKind, findLoose, splitApiVersion, type ResourceDef } from './kinds';
import { writeKubeconfig } from './kubeconfig';
import { Operations } from './ops';
import { Provider } from './provider';
import { readSeed } from './seed';
import { ApiHandler, type RequestRecord } from './server';
import { Store } from './store';
import { makeTls, type TlsMaterial } from './tls';

export { ApiError } from './status';
export type { RequestRecord } from './server';
export { RELEASE_ADDRESS, PROTECT_ADDRESS, PROTECT_POOL, PAUSED, CLUSTER_NAME_LABEL } from './provider';
export { SKIP_DELETE_WEBHOOK } from './admission';

export interface SandboxOptions {
  /** YAML files or directories created at start (namespaces first, then pools, then the rest). */
  seed?: string[];
  /** 0 or absent: a free port. */
  port?: number;
  /** Where to write the kubeconfig (default: a file in a new temporary directory). */
  kubeconfig?: string;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** The provider's reaction delay per reconcile (default 20 ms). */
  providerDelayMs?: number;
  /** Watch keep-alive interval (default 5000 ms). */
  heartbeatMs?: number;
  /** Events kept for watches from an old resourceVersion (default 1000). */
  historyLimit?: number;
  /** Runs kube-vip's cloud provider (a workload cluster's): LoadBalancer Services get addresses from `kube-system/kubevip`. */
  kubeVipCloudProvider?: boolean;
  /** The context (and cluster and user) name in the written kubeconfig (default `sandbox`). */
  contextName?: string;
  /** Counts this server's list requests in flight (shared by several sandboxes). */
  inFlight?: InFlight;
}

export interface Sandbox {
  url: string;
  kubeconfigPath: string;
  token: string;
  caPem: string;
  port: number;
  faults: Faults;
  /** Every HTTP request received, oldest first. */
  requests: RequestRecord[];
  resetRequests(): void;
  stop(): Promise<void>;
  /** Stops (if running) and serves again on the same port, with the same data, CA and token. */
  restart(): Promise<void>;
  /** Creates an object like a POST would (admission included) but keeps `.status`. Returns the stored object. */
  create(obj: Record<string, any>): Record<string, any>;
  /** Replaces an object including `.status` (no resourceVersion check unless the object carries one). */
  update(obj: Record<string, any>): Record<string, any>;
  /** An object at the requested version (`group/version`), or in its storage version for a bare group. */
  get(apiVersionOrGroup: string, kind: string, ns: string | undefined, name: string): Record<string, any> | undefined;
  /** Objects of a kind (name, plural or short name) in storage version. */
  list(kind: string, ns?: string): Record<string, any>[];
  /** Deletes like a DELETE request (webhooks and finalizers apply). */
  delete(kind: string, ns: string | undefined, name: string): void;
  /** Resolves with the first truthy value of `predicate`, checked after every change and every 20 ms. */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Forgets the watch event history: watches from an older resourceVersion get 410 Expired. */
  compactHistory(): void;
  /** Resolves once the provider has nothing queued. */
  idle(): Promise<void>;
  /** The current global resourceVersion. */
  resourceVersion(): number;
  provider: Provider;
}

function defFor(kind: string, apiVersionOrGroup?: string): ResourceDef {
  const d = apiVersionOrGroup !== undefined ? findByKind(apiVersionOrGroup, kind) : findLoose(kind);
  if (!d) throw new Error(`sandbox: unknown kind ${apiVersionOrGroup ? `${apiVersionOrGroup} ` : ''}${kind}`);
  return d;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const host = opts.host ?? '127.0.0.1';
  const tls: TlsMaterial = makeTls(host === '127.0.0.1' || host === 'localhost' || host === '::1' ? undefined : ['127.0.0.1', '::1', 'localhost', host]);
  const token = randomBytes(24).toString('hex');
  const store = new Store(opts.historyLimit ?? 1000);
  const ops = new Operations(store);
  const faults = new Faults();
  const requests: RequestRecord[] = [];
  const provider = new Provider(store, { delayMs: opts.providerDelayMs });
  const cloudProvider = opts.kubeVipCloudProvider ? new KubeVipCloudProvider(store, ops) : undefined;
  let port = opts.port ?? 0;
  const hostPort = () => `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const handler = new ApiHandler({
    store,
    ops,
    faults,
    token: () => token,
    requests,
    heartbeatMs: opts.heartbeatMs ?? 5000,
    user: 'sandbox-admin',
    hostPort,
    listStarted: opts.inFlight?.forServer(),
  });

  store.subscribe((ev) => {
    if (ev.type === 'DELETED' && ev.def.namespaced && ev.obj.metadata?.namespace) {
      const ns = ev.obj.metadata.namespace as string;
      queueMicrotask(() => ops.finishNamespace(ns));
    }
  });
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    ops.create(defFor('Namespace', 'v1'), 'v1', undefined, { metadata: { name } });
  }

  const seedObjs = readSeed(opts.seed ?? []);
  for (const o of seedObjs) {
    const { group, version } = splitApiVersion(String(o.apiVersion ?? ''));
    const d = findByKind(o.apiVersion ?? '', String(o.kind));
    if (!d) throw new Error(`sandbox seed: unknown kind ${o.apiVersion} ${o.kind}`);
    const ns = d.namespaced ? (o.metadata?.namespace ?? 'default') : undefined;
    if (ns && !store.exists(defFor('Namespace', 'v1'), undefined, ns)) ops.create(defFor('Namespace', 'v1'), 'v1', undefined, { metadata: { name: ns } });
    ops.create(d, d.versions.includes(version) ? version : d.storage, ns, group === d.group ? o : { ...o, apiVersion: undefined }, { keepStatus: true });
  }

  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer({ key: tls.keyPem, cert: tls.certPem }, handler.handle);
      s.keepAliveTimeout = 30_000;
      s.on('connection', (sock: Socket) => {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
      });
      s.once('error', reject);
      s.listen(port, host, () => {
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const close = async () => {
    const s = server;
    server = undefined;
    provider.stop();
    cloudProvider?.stop();
    handler.closeAll();
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
      for (const sock of sockets) sock.destroy();
    });
  };

  await listen();
  provider.start();
  cloudProvider?.start();
  await provider.idle();
  const url = `https://${hostPort()}`;
  const kubeconfigPath = opts.kubeconfig ?? join(mkdtempSync(join(tmpdir(), 'sandbox-kube-')), 'kubeconfig');
  writeKubeconfig(kubeconfigPath, url, tls.caPem, token, opts.contextName);

  const sandbox: Sandbox = {
    url,
    kubeconfigPath,
    token,
    caPem: tls.caPem,
    get port() {
      return port;
    },
    faults,
    requests,
    provider,
    resetRequests: () => void requests.splice(0, requests.length),
    stop: close,
    restart: async () => {
      await close();
      await listen();
      provider.start();
      cloudProvider?.start();
    },
    create(obj) {
      const d = defFor(String(obj.kind), String(obj.apiVersion ?? ''));
      const { version } = splitApiVersion(String(obj.apiVersion ?? ''));
      const ns = d.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined;
      return ops.create(d, d.versions.includes(version) ? version : d.storage, ns, obj, { keepStatus: true }).obj;
    },
    update(obj) {
      const d = defFor(String(obj.kind), String(obj.apiVersion ?? ''));
      const { version } = splitApiVersion(String(obj.apiVersion ?? ''));
      const v = d.versions.includes(version) ? version : d.storage;
      const ns = d.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined;
      const name = String(obj.metadata?.name ?? '');
      const cur = store.get(d, ns, name);
      const body = { ...obj, metadata: { ...obj.metadata, resourceVersion: obj.metadata?.resourceVersion ?? cur?.metadata.resourceVersion } };
      ops.update(d, v, ns, name, body);
      if (d.status && obj.status !== undefined) {
        const fresh = store.get(d, ns, name)!;
        ops.update(d, v, ns, name, { ...convert(d, fresh, v), status: obj.status }, 'status');
      }
      return store.get(d, ns, name)!;
    },
    get(apiVersionOrGroup, kind, ns, name) {
      const d = defFor(kind, apiVersionOrGroup);
      const o = store.get(d, ns, name);
      if (!o) return undefined;
      const version = apiVersionOrGroup.includes('/') || apiVersionOrGroup === 'v1' ? splitApiVersion(apiVersionOrGroup).version : d.storage;
      return d.versions.includes(version) ? convert(d, o, version) : o;
    },
    list(kind, ns) {
      return store.list(defFor(kind), ns);
    },
    delete(kind, ns, name) {
      const d = defFor(kind);
      ops.delete(d, d.namespaced ? ns : undefined, name);
    },
    waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 5000) {
      return new Promise<T>((resolve, reject) => {
        let done = false;
        const check = () => {
          if (done) return;
          let v: T | undefined | null | false;
          try {
            v = predicate();
          } catch (e) {
            finish();
            return reject(e);
          }
          if (v) {
            finish();
            resolve(v);
          }
        };
        const unsubscribe = store.subscribe(() => queueMicrotask(check));
        const poll = setInterval(check, 20);
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`sandbox.waitFor: timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        const finish = () => {
          done = true;
          unsubscribe();
          clearInterval(poll);
          clearTimeout(timer);
        };
        check();
      });
    },
    compactHistory: () => store.compact(),
    idle: () => provider.idle(),
    resourceVersion: () => store.resourceVersion,
  };
  return sandbox;
}
