// The estate read once (issue 22), for the CLI: every management cluster's inventory, and each of its
// workload clusters listed once through the chosen route — at most `maxConnections` at a time, each
// with its own outcome (live, forbidden, unreachable, off): one cluster down never fails the others.
import type { EstateCluster, Inventory, NodeAddressInfo } from '../engine/index';
import { briefStatus, isAuthProblem, k8s, loadKubeConfig, plainMessage, redactUrls, statusOf, withTimeout } from './kube';
import { readInventory } from './snapshot';
import { joinManagement, type ClusterConnectionState } from './estate';
import { type ListResult, listAll, type Obj } from './watcher';
import {
  Limiter,
  type Reached,
  SecretRefused,
  type WorkloadObjects,
  type WorkloadRoute,
  type WorkloadTarget,
  contextRoute,
  estateClusterOf,
  secretRoute,
  workloadTargets,
} from './workloads';

export interface EstateTarget {
  kubeconfig?: string;
  /** Management clusters' contexts; empty: the kubeconfig's current context. */
  contexts: string[];
  workloadClusters: WorkloadRoute;
  contextMap?: Record<string, string>;
  maxConnections?: number;
  timeoutMs?: number;
}

export interface EstateSnapshot {
  inventory: Inventory;
  managementClusters: {
    context: string;
    connection: ClusterConnectionState;
    workloads: { target: WorkloadTarget; state: ClusterConnectionState; estate: EstateCluster }[];
  }[];
}

/** A workload cluster's kinds, listed once. The lease is optional (a 403 leaves it out). */
async function readWorkload(kc: k8s.KubeConfig, timeoutMs: number): Promise<WorkloadObjects> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const leases = kc.makeApiClient(k8s.CoordinationV1Api);
  const opts = withTimeout(timeoutMs);
  const all = (page: (p: { limit: number; _continue?: string }) => Promise<unknown>) =>
    listAll(page as (p: { limit: number }) => Promise<ListResult>).then((r) => r.items);
  const [Service, ConfigMap, Node, Lease] = await Promise.all([
    all((p) => core.listServiceForAllNamespaces(p, opts)),
    all((p) => core.listNamespacedConfigMap({ namespace: 'kube-system', fieldSelector: 'metadata.name=kubevip', ...p }, opts)),
    all((p) => core.listNode(p, opts)),
    all((p) => leases.listNamespacedLease({ namespace: 'kube-system', fieldSelector: 'metadata.name=plndr-cp-lock', ...p }, opts)).catch((e): Obj[] => {
      if (isAuthProblem(statusOf(e)) || statusOf(e).code === 404) return [];
      throw e;
    }),
  ]);
  return { Service, ConfigMap, Node, Lease };
}

function failure(e: unknown, what: string): ClusterConnectionState {
  if (e instanceof SecretRefused) return { state: 'off', reason: e.message };
  const s = statusOf(e);
  if (isAuthProblem(s)) return { state: 'forbidden', reason: `${what}: ${briefStatus(e)}` };
  if (s.code === 404) return { state: 'off', reason: `${what}: 404 Not Found` };
  return { state: 'unreachable', reason: `${what}: ${s.code ? briefStatus(e) : plainMessage(s)}` };
}

/** Reads the estate. A management cluster that cannot be read throws (as a single one always did); a workload cluster never does. */
export async function readEstate(t: EstateTarget): Promise<EstateSnapshot> {
  const timeoutMs = t.timeoutMs ?? 10_000;
  const limiter = new Limiter(Math.max(1, t.maxConnections ?? 16));
  const contexts = t.contexts.length ? [...new Set(t.contexts)] : [undefined];
  const user = t.workloadClusters === 'contexts' ? loadKubeConfig({ kubeconfig: t.kubeconfig, context: contexts[0] }).kc : undefined;
  const managementClusters = await Promise.all(
    contexts.map(async (context) => {
      const loaded = loadKubeConfig({ kubeconfig: t.kubeconfig, context });
      const release = await limiter.acquire();
      let read;
      try {
        read = await readInventory(loaded.kc, timeoutMs, { managementCluster: loaded.context });
      } finally {
        release();
      }
      const targets = workloadTargets(loaded.context, read.objects.get('Cluster') ?? [], read.inventory.endpoints);
      const workloads = await Promise.all(
        targets.map(async (target) => {
          if (t.workloadClusters === 'off') return { target, state: { state: 'off' as const, reason: '--workload-clusters off' }, objects: undefined };
          const free = await limiter.acquire();
          try {
            let reached: Reached;
            try {
              reached = t.workloadClusters === 'secrets' ? await secretRoute(loaded.kc, target, timeoutMs) : contextRoute(user, target, t.contextMap ?? {});
            } catch (e) {
              return { target, state: failure(e, `Secret ${target.namespace}/${target.name}-kubeconfig`), objects: undefined };
            }
            if ('off' in reached) return { target, state: { state: 'off' as const, reason: reached.off }, objects: undefined };
            const base = { route: reached.route, ...(reached.context ? { context: reached.context } : {}), server: redactUrls(reached.config.server) };
            try {
              const objects = await readWorkload(reached.config.kc, timeoutMs);
              return { target, state: { ...base, state: 'live' as const }, objects };
            } catch (e) {
              return { target, state: { ...base, ...failure(e, 'list') }, objects: undefined };
            }
          } finally {
            free();
          }
        }),
      );
      return { context: loaded.context, server: redactUrls(loaded.server), inventory: read.inventory, workloads };
    }),
  );
  const estate: EstateCluster[] = [];
  const nodes: NodeAddressInfo[] = [];
  const out: EstateSnapshot['managementClusters'] = [];
  for (const m of managementClusters) {
    const workloads = m.workloads.map((w) => {
      const { cluster, nodes: n } = estateClusterOf(w.target, w.objects);
      estate.push(cluster);
      nodes.push(...n);
      return { target: w.target, state: w.state as ClusterConnectionState, estate: cluster };
    });
    out.push({ context: m.context, connection: { state: 'live', context: m.context, server: m.server }, workloads });
  }
  return {
    inventory: joinManagement(
      managementClusters.map((m) => m.inventory),
      estate,
      nodes,
    ),
    managementClusters: out,
  };
}
