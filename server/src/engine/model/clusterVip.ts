// What a cluster's VIP is: the address its places agree on, the pool it lies in and the claim
// (IPAddress) that holds it, if any. Read by the CodeLens and by the fixes that reuse a claimed address.
import { canonical } from '../ip/addr';
import { poolsHolding } from './pools';
import { agreedVip, ipPlaces } from './vipPlaces';
import type { Inventory, PoolInfo, WorkloadCluster } from './types';

export interface ClusterVip {
  /** The agreed VIP, when it is an address. */
  address?: string;
  pool?: PoolInfo;
  /** The IPAddressClaim whose IPAddress holds `address`. */
  claim?: { namespace: string; name: string };
  /** The address a claim of the cluster holds (and that claim), even when no place shows it any more. */
  held?: { address: string; namespace: string; name: string };
  /** Some endpoint is a template (`${VAR}`, `{{ }}`): filled in later. */
  templated: boolean;
  /** The places hold different addresses. */
  disagree: boolean;
}

export function clusterVip(a: { inventory: Inventory }, c: WorkloadCluster): ClusterVip {
  const agreed = agreedVip(c);
  const address = agreed !== undefined ? canonical(agreed) : undefined;
  const held = a.inventory.addresses.filter((x) => x.namespace === c.namespace && c.claimNames.includes(x.claimName));
  const holder = held.find((x) => canonical(x.address) === address);
  const first = held[0];
  return {
    address,
    pool: address ? poolsHolding(a.inventory, address)[0] : undefined,
    claim: holder && { namespace: holder.namespace, name: holder.claimName },
    held: first && { address: canonical(first.address) ?? first.address, namespace: first.namespace, name: first.claimName },
    templated: c.places.some((p) => p.templated),
    disagree: new Set(ipPlaces(c).map((p) => p.ip)).size > 1,
  };
}
