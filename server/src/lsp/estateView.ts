// The Estate view's answer (capiIpam/estate): every management cluster, its workload clusters with their
// connection state, addresses and kube-vip ranges, and the findings about live objects alone.
import { type Analysis, estateClusterData, estateFindings } from '../engine/index';
import type { EstateResult } from '../protocol';
import type { ClusterConnection } from './clusterConnection';
import type { ServerSettings } from './settings';

export function estateResult(connection: ClusterConnection, analysis: Analysis, settings: ServerSettings, trusted: boolean, virtual: boolean): EstateResult {
  const w = settings.workloadClusters;
  const route = typeof w === 'string' ? w : 'contexts';
  const estate = connection.estate;
  const disabled = !trusted
    ? 'Restricted Mode: no kubeconfig is read and no cluster is contacted'
    : virtual
      ? 'virtual workspace: offline checks only'
      : !estate
        ? (connection.state.reason ?? 'no management cluster is connected')
        : undefined;
  if (disabled || !estate) return { enabled: false, reason: disabled, workloadClusters: route, managementClusters: [], findings: [] };
  const inventory = analysis.inventory;
  return {
    enabled: true,
    workloadClusters: route,
    managementClusters: estate.clusters().map((m) => ({
      context: m.context,
      connection: m.state,
      workloadClusters: m.workloads.map((x) => ({
        name: x.target.name,
        namespace: x.target.namespace,
        connection: x.state,
        ...estateClusterData(x.estate, inventory),
      })),
    })),
    findings: estateFindings(inventory, analysis.clusters),
  };
}
