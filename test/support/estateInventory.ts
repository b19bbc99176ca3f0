// An estate's inventory from API objects, converted by the live code's converters (the same the watch
// and the CLI use): management clusters' objects by kind, and their workload clusters' objects. For the
// estate rules' unit tests and the rule fixtures' `# fixture: estate FILE` directive.
import { toInventory } from '../../server/src/live/convert';
import { joinManagement } from '../../server/src/live/estate';
import { estateClusterOf, workloadTargets, type WorkloadObjects } from '../../server/src/live/workloads';
import type { Obj } from '../../server/src/live/watcher';
import type { EstateCluster, Inventory, NodeAddressInfo } from '../../server/src/engine/index';

export interface ManagementSeed {
  context: string;
  objects: Record<string, Obj[]>;
  /** Workload clusters' objects by "namespace/name"; absent: not read. */
  workloads?: Record<string, Partial<WorkloadObjects>>;
}

/** The estate's inventory from management clusters' and workload clusters' objects. */
export function estateInventory(seeds: ManagementSeed[]): Inventory {
  const parts = seeds.map((m) => toInventory(new Map(Object.entries(m.objects)), { managementCluster: m.context }, ['ProxmoxCluster']));
  const estate: EstateCluster[] = [];
  const nodes: NodeAddressInfo[] = [];
  for (const [i, m] of seeds.entries()) {
    for (const t of workloadTargets(m.context, m.objects.Cluster ?? [], parts[i]!.endpoints)) {
      const w = m.workloads?.[`${t.namespace}/${t.name}`];
      const { cluster: c, nodes: n } = estateClusterOf(t, w && { Service: [], ConfigMap: [], Node: [], Lease: [], ...w });
      estate.push(c);
      nodes.push(...n);
    }
  }
  return joinManagement(parts, estate, nodes);
}
