// Custom LSP messages between the capi-ipam client (VS Code) and the language server.
// Plain method names and JSON shapes only, so both sides (and tests) import this file.

/** A range in LSP coordinates (0-based line/character). */
export interface WireRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
export interface WireLocation {
  uri: string;
  range: WireRange;
}

/** Sent by the client in `initializationOptions` and later through `TrustChangedNotification`. */
export interface InitializationOptions {
  /** Workspace trust: false means the server never reads a kubeconfig nor contacts a cluster. */
  trusted: boolean;
  /** A virtual workspace: offline checks only. */
  virtual?: boolean;
}

export const TrustChangedNotification = 'capiIpam/trustChanged';
export interface TrustChangedParams {
  trusted: boolean;
}

export type ConnectionStateName = 'connecting' | 'connected' | 'offline' | 'unreachable' | 'forbidden' | 'untrusted';

/** Server → client whenever the management-cluster connection changes. */
export const ConnectionStateNotification = 'capiIpam/connectionState';
export interface ConnectionState {
  state: ConnectionStateName;
  /** kubeconfig context in use (never credentials). */
  context?: string;
  /** API server URL of that context. */
  server?: string;
  /** Human reason, e.g. "no cluster configured: using pools declared in the workspace" or the HTTP status. */
  reason?: string;
  /** Epoch ms: the cluster cannot be read now, and what the server shows of it is a cache as of then. */
  cachedAt?: number;
}

/** Client → server: reconnect now instead of at the end of the backoff. */
export const RetryRequest = 'capiIpam/retry';

/** Server → client when pools, addresses, services or kube-vip ranges changed (trees refresh). */
export const InventoryChangedNotification = 'capiIpam/inventoryChanged';

export const PoolsRequest = 'capiIpam/pools';
export type { AddressBlock } from './engine/addressGroups';
import type { AddressBlock } from './engine/addressGroups';

export interface AllocationView {
  address: string;
  /** IPAddress name and namespace (live), or the place that uses the address (offline). */
  name: string;
  namespace?: string;
  claim?: string;
  cluster?: string;
  location?: WireLocation;
}
export interface PoolView {
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
  allocations: AllocationView[];
  /**
   * The allocations grouped by CIDR block ("10.60.5.0/24"), when there are too many for one list:
   * blocks and counts only; a block's contents come from PoolBlockRequest when it is expanded.
   */
  allocationBlocks?: AddressBlock<AllocationView>[];
  /** Free space summarised as ranges, e.g. "10.0.0.20-10.0.0.99 (80)". */
  freeRanges: string[];
  reserved: { address: string; reason: 'network' | 'broadcast' | 'anycast' | 'gateway' | 'excluded' }[];
  warnings: string[];
  location?: WireLocation;
  /** Inferred: a VIP pool holds clusters' VIPs, a node pool is referenced by machine templates. */
  role?: 'vip' | 'node';
  /** In a ranked answer: named by the cluster's annotation or `capiIpam.defaultPool`. */
  preferred?: boolean;
}

/** Client → server: what an expanded allocation block holds (its allocations, or its smaller blocks, shallow). */
export const PoolBlockRequest = 'capiIpam/poolBlock';
export interface PoolBlockParams {
  id: string;
  block: string;
}
export interface PoolBlockResult {
  blocks?: AddressBlock<AllocationView>[];
  allocations?: AllocationView[];
}

/** Client → server: a pool as a grid of addresses (or of blocks of 256 with counts), for the pool map. */
export const PoolMapRequest = 'capiIpam/poolMap';
export interface PoolMapParams {
  id: string;
  /** A block ("10.10.5.0/24", "fd00::100/120") to show address by address. */
  zoom?: string;
}
export type { PoolMapData, MapCell, MapBlock, CellState } from './engine/poolMap';

/** Client → server: the live pools a cluster may get its VIP from, best first (the engine's one ranking). */
export const RankedPoolsRequest = 'capiIpam/rankedPools';
export interface RankedPoolsParams {
  cluster: { name: string; namespace: string };
}

export const LoadBalancersRequest = 'capiIpam/loadBalancers';
export interface ServiceView {
  namespace: string;
  name: string;
  /** Empty: pending. */
  ips: string[];
  /** The kube-vip pool the Service's namespace draws from, as the provider looks it up, e.g. "cidr-global 10.0.10.0/28". */
  range?: string;
  /** False when the requested IP lies outside that pool. */
  inRange?: boolean;
  conflicts: string[];
  location?: WireLocation;
}

export const KubeVipRangesRequest = 'capiIpam/kubeVipRanges';
export interface KubeVipRangeView {
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
  location?: WireLocation;
}

export const ContextsRequest = 'capiIpam/contexts';
export interface ContextsResult {
  contexts: string[];
  current?: string;
  kubeconfig?: string;
}

/** Client → server: the YAML of a pool as the cluster (or the workspace) has it. */
export const PoolYamlRequest = 'capiIpam/poolYaml';
export interface PoolYamlParams {
  id: string;
}

/** Allocation (issue "Allocate IP"): claim, wait for the IPAddress, return the edit. */
export const AllocateRequest = 'capiIpam/allocate';
export interface AllocateParams {
  uri: string;
  cluster: { name: string; namespace: string };
  pool: { kind: string; name: string; namespace?: string };
}
export interface AllocateResult {
  address: string;
  claim: { name: string; namespace: string };
}

export interface ClaimRef {
  namespace: string;
  name: string;
}

/**
 * Release, step 1: which one IPAddressClaim a release would delete. Either a claim by name (Pools
 * view), or a cluster: the claim holding its VIP (command palette). Fails when there is none.
 */
export const ReleaseTargetRequest = 'capiIpam/releaseTarget';
export type ReleaseTargetParams = { claim: ClaimRef } | { cluster: { name: string; namespace: string } };
export interface ReleaseTarget {
  claim: ClaimRef;
  /** The claim's UID: the release deletes this object only, not one re-created under the same name. */
  uid: string;
  /** capi-ipam created it (annotation capi-ipam.dev/created-by: capi-ipam). */
  ours: boolean;
  address?: string;
  /** `<kind> <name>` of spec.poolRef. */
  pool?: string;
  cluster?: string;
}

/** Release, step 2: deletes exactly the confirmed claim. A claim not ours needs `foreignConfirmed`. */
export const ReleaseRequest = 'capiIpam/release';
export interface ReleaseParams {
  claim: ClaimRef;
  uid: string;
  /** The user confirmed this claim by name although capi-ipam did not create it. */
  foreignConfirmed?: boolean;
}
export interface ReleaseResult {
  released: ReleaseTarget;
}

/** Client → server: the admission policy generated from the pools and kube-vip ranges the server knows. */
export const PolicyRequest = 'capiIpam/policy';
export interface PolicyParams {
  format: 'vap' | 'kyverno';
}
export interface PolicyResult {
  yaml: string;
  notes: string[];
}
