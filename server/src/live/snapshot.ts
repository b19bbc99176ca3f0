// One-shot read of the live inventory (list every kind once), for the CLI: a CI job wants an
// answer, not a watch.
import type { Inventory } from '../engine/model/types';
import { toInventory } from './convert';
import { k8s, withTimeout } from './kube';
import { type Resource, discover } from './resources';
import type { Obj } from './watcher';

export async function readInventory(kc: k8s.KubeConfig, timeoutMs = 10_000): Promise<{ inventory: Inventory; resources: Resource[] }> {
  const resources = await discover(kc, timeoutMs);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const opts = withTimeout(timeoutMs);
  const byKind = new Map<string, Obj[]>();
  await Promise.all(resources.map(async (r) => {
    const list = (await custom.listClusterCustomObject({ group: r.group, version: r.version, plural: r.plural }, opts)) as { items: Obj[] };
    byKind.set(r.kind, list.items);
  }));
  const services = await core.listServiceForAllNamespaces({}, opts);
  byKind.set('Service', services.items as unknown as Obj[]);
  const configMaps = await core.listNamespacedConfigMap({ namespace: 'kube-system', fieldSelector: 'metadata.name=kubevip' }, opts);
  byKind.set('ConfigMap', configMaps.items as unknown as Obj[]);
  return { inventory: toInventory(byKind), resources };
}
