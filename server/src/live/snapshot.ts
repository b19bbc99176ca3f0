// One-shot read of the live inventory (list every kind once), for the CLI: a CI job wants an
// answer, not a watch.
import type { Inventory, ReadFrom } from '../engine/index';
import { toInventory } from './convert';
import { briefStatus, ClusterUnavailable, isAuthProblem, k8s, redactUrls, statusOf, withTimeout } from './kube';
import { type Resource, discover } from './resources';
import { type ListResult, listAll, type Obj } from './watcher';

type Read = { inventory: Inventory; resources: Resource[]; objects: Map<string, Obj[]> };

/**
 * Every request is bounded by `timeoutMs`; any failure to read is a ClusterUnavailable that names the
 * context and server and says why in plain words (a code and reason, or "did not answer in 10 s").
 * `from` names the management cluster (issue 22): owners on every item, Machines' addresses. `objects`: every kind's list.
 */
export async function readInventory(kc: k8s.KubeConfig, timeoutMs = 10_000, from?: ReadFrom): Promise<Read> {
  try {
    return await readAll(kc, timeoutMs, from);
  } catch (e) {
    const where = `context ${kc.getCurrentContext()}, ${redactUrls(kc.getCurrentCluster()?.server ?? '')}`;
    throw new ClusterUnavailable(`the management cluster (${where}) could not be read: ${briefStatus(e, timeoutMs)}`);
  }
}

async function readAll(kc: k8s.KubeConfig, timeoutMs: number, from?: ReadFrom): Promise<Read> {
  const resources = await discover(kc, timeoutMs);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const opts = withTimeout(timeoutMs);
  const byKind = new Map<string, Obj[]>();
  await Promise.all(
    resources.map(async (r) => {
      const list = await listAll(
        (page) => custom.listClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, ...page }, opts) as Promise<ListResult>,
      ).catch((e) => {
        // An optional kind (Machines, other infrastructure clusters) the role does not grant is left out.
        const s = statusOf(e);
        if (r.optional && (isAuthProblem(s) || s.code === 404)) return { items: [] };
        throw e;
      });
      byKind.set(r.kind, list.items);
    }),
  );
  const services = await listAll((page) => core.listServiceForAllNamespaces(page, opts) as unknown as Promise<ListResult>);
  byKind.set('Service', services.items);
  const configMaps = await listAll(
    (page) =>
      core.listNamespacedConfigMap({ namespace: 'kube-system', fieldSelector: 'metadata.name=kubevip', ...page }, opts) as unknown as Promise<ListResult>,
  );
  byKind.set('ConfigMap', configMaps.items);
  const endpointKinds = resources.filter((r) => r.endpoint).map((r) => r.kind);
  return { inventory: toInventory(byKind, from, endpointKinds), resources, objects: byKind };
}
