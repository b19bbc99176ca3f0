// What the tree views show: pools with usage, LoadBalancer Services, kube-vip ranges. Plain data;
// `L` is how a place is named: the engine's Location here, an LSP range on the wire (protocol.ts).
import type { Location } from '../types';
import type { AddressBlock } from './addressGroups';

export interface AllocationView<L = Location> {
  address: string;
  /** IPAddress name and namespace (live), or the place that uses the address (offline). */
  name: string;
  namespace?: string;
  claim?: string;
  cluster?: string;
  location?: L;
}
export interface PoolView<L = Location> {
  /** `<kind>/<namespace or "">/<name>` */
  id: string;
  kind: 'InClusterIPPool' | 'GlobalInClusterIPPool';
  name: string;
  namespace?: string;
  source: 'workspace' | 'live';
  addresses: string[];
  prefix?: number;
  gateway?: string;
  /** Decimal strings: counts can exceed 2^53 for IPv6 pools. */
  total: string;
  free: string;
  used: string;
  firstFree?: string;
  /** Empty when `allocationBlocks` holds them (more than 256 allocations). */
  allocations: AllocationView<L>[];
  /**
   * The allocations grouped by CIDR block ("10.60.5.0/24"), when there are too many for one list:
   * blocks and counts only; a block's contents come from PoolBlockRequest when it is expanded.
   */
  allocationBlocks?: AddressBlock<AllocationView<L>>[];
  /** Free space summarised as ranges, e.g. "10.0.0.20-10.0.0.99 (80)". */
  freeRanges: string[];
  reserved: { address: string; reason: 'network' | 'broadcast' | 'anycast' | 'gateway' | 'excluded' }[];
  warnings: string[];
  location?: L;
  /** Inferred: a VIP pool holds clusters' VIPs, a node pool is referenced by machine templates. */
  role?: 'vip' | 'node';
  /** In a ranked answer: named by the cluster's annotation or `capiIpam.defaultPool`. */
  preferred?: boolean;
}

/** What an expanded allocation block holds: its allocations, or its smaller blocks (shallow). */
export interface PoolBlockView<L = Location> {
  blocks?: AddressBlock<AllocationView<L>>[];
  allocations?: AllocationView<L>[];
}

export interface ServiceView<L = Location> {
  namespace: string;
  name: string;
  /** Empty: pending. */
  ips: string[];
  /** The kube-vip pool the Service's namespace draws from, as the provider looks it up, e.g. "cidr-global 10.0.10.0/28". */
  range?: string;
  /** False when the requested IP lies outside that pool. */
  inRange?: boolean;
  conflicts: string[];
  location?: L;
}

export interface KubeVipRangeView<L = Location> {
  configMap: string;
  key: string;
  scope: string;
  entry: string;
  /** Addresses the provider can hand out from this entry (never .0/.255; CIDR ends dropped with skip-end-ips-in-cidr). */
  size: string;
  used: string;
  free?: string;
  /** The address the provider would hand out next (search-order honoured). */
  firstFree?: string;
  /** The provider's error when it cannot parse the key's value. */
  error?: string;
  users: string[];
  location?: L;
}
