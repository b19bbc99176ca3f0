// The findings about live objects alone (issue 22): no workspace file holds either address, so they
// go to the Estate view and the CLI, never to a file's diagnostics. Findings that involve a file are
// the RULES' (vip-in-estate, pool-node-address, kube-vip-namespace-overlap at the file's place).
import type { Inventory, WorkloadCluster } from '../model/types';
import type { EstateFinding } from './estateIndex';
import { estateVipFindings } from './vipInEstate';
import { serviceIpInEstate } from './serviceIpInEstate';
import { estatePoolNodeFindings } from './poolNodeAddress';
import { kubeVipRangeOverlap } from './kubeVipRangeOverlap';
import { estateNamespaceOverlap } from './kubeVipNamespaceOverlap';
import { managementPoolOverlap } from './managementPoolOverlap';

export type { EstateFinding };

export function estateFindings(inventory: Inventory, fileClusters: WorkloadCluster[]): EstateFinding[] {
  if (inventory.estate.length === 0 && inventory.nodeAddresses.length === 0 && !inventory.pools.some((p) => p.owner)) return [];
  const inFiles = new Set(fileClusters.map((c) => `${c.namespace}/${c.name}`));
  return [
    ...estateVipFindings(inventory, inFiles),
    ...serviceIpInEstate(inventory),
    ...estatePoolNodeFindings(inventory),
    ...kubeVipRangeOverlap(inventory),
    ...estateNamespaceOverlap(inventory),
    ...managementPoolOverlap(inventory),
  ];
}
