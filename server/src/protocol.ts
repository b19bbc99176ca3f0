// Custom LSP messages between the capi-ipam client (VS Code) and the language server.
// Plain method names and JSON shapes only, so both sides (and tests) import this file.
import type * as EngineViews from './engine/index';

// Escaping file and cluster text for markdown: one implementation, the engine's, shared with the client.
export { escapeMarkdown, escapeCode } from './engine/index';

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
/** The engine's views (server/src/engine/features/viewTypes.ts) with places as LSP ranges. */
export type AllocationView = EngineViews.AllocationView<WireLocation>;
export type PoolView = EngineViews.PoolView<WireLocation>;
export type ServiceView = EngineViews.ServiceView<WireLocation>;
export type KubeVipRangeView = EngineViews.KubeVipRangeView<WireLocation>;
export type { AddressBlock } from './engine/index';

/** Client → server: what an expanded allocation block holds (its allocations, or its smaller blocks, shallow). */
export const PoolBlockRequest = 'capiIpam/poolBlock';
export interface PoolBlockParams {
  id: string;
  block: string;
}
export type PoolBlockResult = EngineViews.PoolBlockView<WireLocation>;

/** Client → server: a pool as a grid of addresses (or of blocks of 256 with counts), for the pool map. */
export const PoolMapRequest = 'capiIpam/poolMap';
export interface PoolMapParams {
  id: string;
  /** A block ("10.10.5.0/24", "fd00::100/120") to show address by address. */
  zoom?: string;
}
export type { PoolMapData, MapCell, MapBlock, CellState } from './engine/index';

/** Client → server: the live pools a cluster may get its VIP from, best first (the engine's one ranking). */
export const RankedPoolsRequest = 'capiIpam/rankedPools';
export interface RankedPoolsParams {
  cluster: { name: string; namespace: string };
}

export const LoadBalancersRequest = 'capiIpam/loadBalancers';
export const KubeVipRangesRequest = 'capiIpam/kubeVipRanges';
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

/** Client → server: the cluster the cursor is in (what Allocate VIP and Release VIP act on without arguments); null if none. */
export const ClusterAtRequest = 'capiIpam/clusterAt';
export interface ClusterAtParams {
  uri: string;
  position: { line: number; character: number };
}
export interface ClusterRef {
  name: string;
  namespace: string;
}
export type ClusterAtResult = ClusterRef | null;

/** Allocation (issue "Allocate IP"): claim, wait for the IPAddress, return the edit. */
export const AllocateRequest = 'capiIpam/allocate';
export interface AllocateParams {
  uri: string;
  cluster: { name: string; namespace: string };
  pool: { kind: string; name: string; namespace?: string };
  /** The cluster's claim exists already: write the address it holds (the user chose Keep) instead of failing with AllocationHeld. */
  keep?: boolean;
}
/** The `data` of the allocate request's error when the cluster's claim already holds an address: the client offers to keep it. */
export interface AllocationHeld {
  held: { claim: { name: string; namespace: string }; address?: string; pool: { kind: string; name: string } };
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
