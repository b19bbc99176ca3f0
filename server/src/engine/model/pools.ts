// Facts about pools and ranges that the rules, the fixes and the features all read.
import { parseAddr } from '../ip/addr';
import { parseEntry } from '../ip/entry';
import { inPoolAddresses } from '../ip/pool';
import { bounded, perObject } from '../memo';
import type { Inventory, PoolInfo } from './types';

export function poolLabel(p: PoolInfo): string {
  return p.namespace ? `${p.kind} ${p.namespace}/${p.name}` : `${p.kind} ${p.name}`;
}

/** The pools the provider accepts (no webhook error): the only ones that hand out addresses. */
export const validPools: (inv: Inventory) => PoolInfo[] = perObject((inv: Inventory) => inv.pools.filter((p) => p.analysis.errors.length === 0));

export function poolsHolding(inv: Inventory, ip: string): PoolInfo[] {
  return inv.pools.filter((p) => p.analysis.errors.length === 0 && inPoolAddresses(p.analysis, ip));
}

export function familyOf(ip: string): 4 | 6 | undefined {
  const a = parseAddr(ip);
  return a.ok ? a.value.family : undefined;
}

const entryOf = bounded(10_000, parseEntry);

/** Whether `ip` lies in an entry like the kube-vip provider's (`a-b` or CIDR). Entries are parsed once: rules ask per VIP per range on every keystroke. */
export function inEntry(entry: string, ip: string): boolean {
  const e = entryOf(entry);
  const a = parseAddr(ip);
  return e.ok && a.ok && e.value.family === a.value.family && a.value.value >= e.value.first && a.value.value <= e.value.last;
}
