// The findings about live objects alone (issue 22): no workspace file holds either address, so they
// go to the Estate view and the CLI, never to a file's diagnostics — each rule's `estate` hook. Findings
// that involve a file are the same rules' `check`/`cluster` (vip-in-estate at the VIP's line, …).
import type { Inventory, WorkloadCluster } from '../model/types';
import type { EstateFinding } from './estateIndex';
import { RULES } from './index';

export type { EstateFinding };

export function estateFindings(inventory: Inventory, fileClusters: WorkloadCluster[]): EstateFinding[] {
  if (inventory.estate.length === 0 && inventory.nodeAddresses.length === 0 && !inventory.pools.some((p) => p.owner)) return [];
  const inFiles = new Set(fileClusters.map((c) => `${c.namespace}/${c.name}`));
  return RULES.flatMap((r) => ('estate' in r && r.estate ? r.estate(inventory, inFiles) : []));
}
