// Workload clusters (issue 22): which ones a management cluster has, how each is reached, and what its
// objects mean for the estate. Shared by the language server's watch (estate.ts) and the CLI's one-shot
// read (estateSnapshot.ts).
//
// Routes: `contexts` — a context of the user's own kubeconfig, mapped explicitly or whose server is the
// Cluster's endpoint; `secrets` (opt-in) — the Cluster's `<name>-kubeconfig` Secret, read with `get` by
// name (never list/watch: that would expose every Secret of the namespace), held in memory only; `off`.
import YAML from 'yaml';
import {
  type EstateCluster,
  type KnownEndpoint,
  type NodeAddressInfo,
  canonical,
  clusterNetworks,
  decodeKubeVipConfig,
  decodeNode,
  decodeService,
  leaseHolder,
} from '../engine/index';
import { type LoadedConfig, k8s, withTimeout } from './kube';
import type { Obj } from './watcher';

export type WorkloadRoute = 'contexts' | 'secrets' | 'off';

export interface WorkloadTarget {
  managementCluster: string;
  namespace: string;
  name: string;
  /** The control-plane endpoint (host, port), from the Cluster or its infrastructure cluster. */
  endpoint?: KnownEndpoint;
  port?: number;
  podCidrs: string[];
  serviceCidrs: string[];
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The CAPI Clusters of a management cluster, each with its endpoint (the Cluster's, else its infrastructure cluster's). */
export function workloadTargets(managementCluster: string, clusters: Obj[], endpoints: KnownEndpoint[]): WorkloadTarget[] {
  return clusters.map((o) => {
    const m = (o.metadata ?? {}) as Any;
    const namespace = (m.namespace as string) ?? 'default';
    const name = (m.name as string) ?? '';
    const endpoint =
      endpoints.find((e) => e.namespace === namespace && e.clusterName === name && e.kind === 'Cluster') ??
      endpoints.find((e) => e.namespace === namespace && e.clusterName === name);
    const port = Number((o as Any).spec?.controlPlaneEndpoint?.port) || undefined;
    return { managementCluster, namespace, name, endpoint, port, ...clusterNetworks(o) };
  });
}

/** host:port of a server URL, the host canonical (IPv6 without brackets) and lower case. */
function hostPort(url: string): string | undefined {
  try {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return `${canonical(host) ?? host.toLowerCase()}:${u.port || (u.protocol === 'http:' ? '80' : '443')}`;
  } catch {
    return undefined;
  }
}

/** A KubeConfig of its own for one context: an old client would send the new user's credentials to the old server. */
export function forContext(kc: k8s.KubeConfig, context: string): LoadedConfig {
  const own = new k8s.KubeConfig();
  own.loadFromOptions({ clusters: kc.clusters, users: kc.users, contexts: kc.contexts, currentContext: context });
  return { kc: own, context, server: own.getCurrentCluster()?.server ?? '' };
}

export type Reached = { config: LoadedConfig; route: 'context' | 'secret'; context?: string } | { off: string };

/** The user's context for a workload cluster: the one `map` names ("ns/name": context), else the one whose server is the endpoint. */
export function contextRoute(user: k8s.KubeConfig | undefined, t: WorkloadTarget, map: Record<string, string>): Reached {
  if (!user) return { off: 'no kubeconfig of your own to find a context in' };
  const mapped = map[`${t.namespace}/${t.name}`];
  if (mapped) {
    if (!user.getContexts().some((c) => c.name === mapped))
      return { off: `capiIpam.workloadClusters maps it to context "${mapped}", which is not in the kubeconfig` };
    return { config: forContext(user, mapped), route: 'context', context: mapped };
  }
  if (!t.endpoint) return { off: 'the Cluster has no control-plane endpoint yet' };
  const want = hostPort(`https://${t.endpoint.host.includes(':') ? `[${t.endpoint.host}]` : t.endpoint.host}:${t.port ?? 6443}`);
  const hit = user.getContexts().find((c) => {
    const server = user.getCluster(c.cluster)?.server;
    return server && hostPort(server) === want;
  });
  if (!hit) return { off: `no context of your kubeconfig has the server ${want}; map one in capiIpam.workloadClusters or use the secrets route` };
  return { config: forContext(user, hit.name), route: 'context', context: hit.name };
}

/** Keys a kubeconfig from a Secret may use: inline data only. A file path, an exec plugin or an auth provider would run or read something on this machine. */
const CLUSTER_KEYS = new Set(['server', 'certificate-authority-data', 'tls-server-name', 'insecure-skip-tls-verify']);
const USER_KEYS = new Set(['token', 'client-certificate-data', 'client-key-data']);

export class SecretRefused extends Error {}

/**
 * The workload cluster's kubeconfig from its `<name>-kubeconfig` Secret (key `value`), read with `get`
 * by name. Checked before client-node sees it (client-node reads `token-file` while parsing); never
 * written, never logged; an error names the Secret and the refused key, never its content.
 */
export async function secretRoute(management: k8s.KubeConfig, t: WorkloadTarget, timeoutMs: number): Promise<Reached> {
  const core = management.makeApiClient(k8s.CoreV1Api);
  const name = `${t.name}-kubeconfig`;
  const secret = await core.readNamespacedSecret({ name, namespace: t.namespace }, withTimeout(timeoutMs));
  const data = secret.data?.value;
  if (!data) return { off: `Secret ${t.namespace}/${name} has no key "value"` };
  const text = Buffer.from(data, 'base64').toString('utf8');
  const where = `the kubeconfig in Secret ${t.namespace}/${name}`;
  let doc: Any;
  try {
    doc = YAML.parse(text) as Any;
  } catch {
    throw new SecretRefused(`${where} is not YAML`);
  }
  for (const c of (doc?.clusters ?? []) as Any[])
    for (const k of Object.keys(c?.cluster ?? {}))
      if (!CLUSTER_KEYS.has(k)) throw new SecretRefused(`${where} uses cluster key "${k}": refused (only inline data is read)`);
  for (const u of (doc?.users ?? []) as Any[])
    for (const k of Object.keys(u?.user ?? {}))
      if (!USER_KEYS.has(k)) throw new SecretRefused(`${where} uses user key "${k}": refused (only inline credentials are read)`);
  const kc = new k8s.KubeConfig();
  try {
    kc.loadFromString(text);
  } catch {
    throw new SecretRefused(`${where} cannot be loaded`);
  }
  const server = kc.getCurrentCluster()?.server ?? '';
  if (!server) throw new SecretRefused(`${where} has no current cluster`);
  return { config: { kc, context: kc.getCurrentContext(), server }, route: 'secret' };
}

export interface WorkloadObjects {
  Service: Obj[];
  ConfigMap: Obj[];
  Node: Obj[];
  Lease: Obj[];
}

/** A workload cluster's objects as the estate sees them: its EstateCluster and its Nodes' addresses. */
export function estateClusterOf(t: WorkloadTarget, objects: WorkloadObjects | undefined): { cluster: EstateCluster; nodes: NodeAddressInfo[] } {
  const from = { managementCluster: t.managementCluster, workloadCluster: `${t.namespace}/${t.name}` };
  const owner = (o: Obj, kind: string) => ({
    managementCluster: t.managementCluster,
    workloadCluster: from.workloadCluster,
    kind,
    ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata?.name ?? '',
    source: 'workload' as const,
  });
  const services = (objects?.Service ?? []).flatMap((o) => {
    const s = decodeService(o);
    return s ? [{ ...s, owner: owner(o, 'Service') }] : [];
  });
  const cm = objects?.ConfigMap.find((o) => o.metadata?.name === 'kubevip');
  const holder = objects?.Lease.map(leaseHolder).find((h) => h);
  return {
    cluster: {
      managementCluster: t.managementCluster,
      namespace: t.namespace,
      name: t.name,
      read: objects !== undefined,
      ...(t.endpoint ? { endpoint: t.endpoint } : {}),
      ...(holder ? { vipHolder: holder } : {}),
      podCidrs: t.podCidrs,
      serviceCidrs: t.serviceCidrs,
      services,
      ...(cm ? { kubeVipConfig: decodeKubeVipConfig(cm) } : {}),
    },
    nodes: (objects?.Node ?? []).flatMap((o) => decodeNode(o, from)),
  };
}

/** At most `max` tasks at once; the others wait their turn in order. */
export class Limiter {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly max: number) {}

  /** Resolves when a slot is free; call the returned function to free it (once). */
  async acquire(): Promise<() => void> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.running++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    };
  }

  get inFlight(): number {
    return this.running;
  }
}
