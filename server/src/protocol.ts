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

// ─── The Estate view (issue 22): every management cluster, its workload clusters and their addresses ───
//
// Client → server, no params: `EstateResult`. The server sends `EstateChangedNotification` (no params)
// when anything in it changed; the client asks again. Shapes are stable: fields are only ever added.
// Nothing here is a credential: contexts are names, servers are URLs with any user info removed, reasons
// are short texts that never quote a kubeconfig, a token or a Secret's content.
export const EstateRequest = 'capiIpam/estate';
export const EstateChangedNotification = 'capiIpam/estateChanged';

/**
 * How one cluster (management or workload) is read:
 * - `connecting`: first discovery/list in flight;
 * - `live`: every kind listed and watched;
 * - `cached`: it was live, cannot be read now; what is shown is as of `cachedAt`;
 * - `forbidden`: 401/403 (or a failing exec credential plugin); `reason` says what was refused;
 * - `unreachable`: never listed (DNS, TCP, TLS, timeout); `reason` says why;
 * - `off`: not read at all, by choice or necessity; `reason` says which (`workloadClusters: off`,
 *   untrusted workspace, no context matches the endpoint, no `<name>-kubeconfig` Secret, …).
 */
export type EstateStateName = 'connecting' | 'live' | 'cached' | 'forbidden' | 'unreachable' | 'off';

export interface EstateConnection {
  state: EstateStateName;
  /** Human reason for every state but `live`, e.g. "403 services is forbidden" or "no context's server is https://10.0.0.5:6443". */
  reason?: string;
  /** Epoch ms: set with `cached` — the data shown is as of then. */
  cachedAt?: number;
  /**
   * How the cluster is reached: `context` (a context of the user's kubeconfig; `context` names it),
   * `secret` (the Cluster's `<name>-kubeconfig` Secret, opt-in), or none (`off`).
   */
  route?: 'context' | 'secret';
  /** The kubeconfig context used (route `context`, and every management cluster). */
  context?: string;
  /** API server URL (no credentials). */
  server?: string;
}

/** An object of the estate that holds an address: who owns it. Also the engine's `Owner` (engine/model/types.ts). */
export interface EstateOwner {
  /** The management cluster's kubeconfig context; absent for an object from a workspace file. */
  managementCluster?: string;
  /** `namespace/name` of the CAPI Cluster whose API server holds the object (Nodes, Services, the kubevip ConfigMap); absent for management-cluster objects. */
  workloadCluster?: string;
  /** e.g. `Machine`, `Node`, `Service`, `ConfigMap`, `VSphereCluster`, `InClusterIPPool`. */
  kind: string;
  namespace?: string;
  name: string;
  /** Where it was read: a workspace file, the management cluster, a workload cluster. */
  source: 'workspace' | 'management' | 'workload';
}

export interface EstateNodeAddress {
  /** Hostname, ExternalIP, InternalIP, ExternalDNS or InternalDNS, as Kubernetes names them. */
  type: string;
  address: string;
}

/** A node: a Machine of the management cluster and/or a Node of the workload cluster (joined by `nodeRef`). */
export interface EstateNode {
  /** The Node's name (the Machine's `status.nodeRef.name`), else the Machine's name. */
  name: string;
  /** `namespace/name` of the Machine, when the management cluster has one for it. */
  machine?: string;
  /** Distinct addresses, Machine's and Node's merged (IPs and names). */
  addresses: EstateNodeAddress[];
  /** Which objects the addresses come from. */
  from: ('Machine' | 'Node')[];
}

export interface EstateService {
  namespace: string;
  name: string;
  /** Every IP the Service holds or asks for (`status.loadBalancer.ingress[].ip`, `kube-vip.io/loadbalancerIPs`, `spec.loadBalancerIP`), distinct; empty: pending. */
  ips: string[];
}

/** One entry of the workload cluster's `kube-system/kubevip` ConfigMap (kube-vip cloud provider). */
export interface EstateKubeVipRange {
  /** e.g. `cidr-global`, `range-team-a`. */
  key: string;
  /** `global` or the namespace the key serves. */
  scope: string;
  /** One comma-separated item of the key, e.g. `10.0.10.0/28` or `10.0.10.20-10.0.10.30`. */
  entry: string;
  /** Decimal strings (IPv6 counts exceed 2^53): addresses the provider can hand out, and those Services of this cluster use. */
  size: string;
  used: string;
  /** The provider's error when it cannot parse the key's value. */
  error?: string;
}

export interface EstateVip {
  /** The control-plane endpoint host (an IP, or a DNS name as written). */
  address: string;
  /** Where it was read, e.g. "VSphereCluster default/prod .spec.controlPlaneEndpoint.host". */
  source: string;
  /** The node holding kube-vip's control-plane lease (`kube-system/plndr-cp-lock` holder) when readable. */
  holder?: string;
}

export interface EstateWorkloadCluster {
  /** The CAPI Cluster's name and namespace in its management cluster. */
  name: string;
  namespace: string;
  connection: EstateConnection;
  vip?: EstateVip;
  /** Sorted by name. Machines' addresses are known even when the cluster itself is not reachable. */
  nodes: EstateNode[];
  /** LoadBalancer Services, sorted by namespace/name. */
  services: EstateService[];
  kubeVipRanges: EstateKubeVipRange[];
}

export interface EstateManagementCluster {
  /** The kubeconfig context (its identity in the estate and in every `EstateOwner.managementCluster`). */
  context: string;
  connection: EstateConnection;
  /** Sorted by namespace/name. */
  workloadClusters: EstateWorkloadCluster[];
}

/**
 * A finding about live objects alone (no workspace file holds either address): shown in the Estate
 * view and by the CLI, never as a file diagnostic. Findings that involve a file are file diagnostics.
 */
export interface EstateFinding {
  /** A rule code of README's list, e.g. `estate-service-ip-collision`. */
  code: string;
  severity: 'error' | 'warning' | 'info';
  /** One line naming both holders, e.g. "10.0.0.40: Service prod/default/web is also the VIP of dev (VSphereCluster default/dev)". */
  message: string;
  /** The colliding address or range. */
  address: string;
  /** The object the finding is about, and the others that hold the address. */
  subject: EstateOwner;
  related: EstateOwner[];
}

export interface EstateResult {
  /** False: untrusted or virtual workspace — nothing read, `managementClusters` empty, `reason` says so. */
  enabled: boolean;
  reason?: string;
  /** The `capiIpam.workloadClusters` route in force. */
  workloadClusters: 'contexts' | 'secrets' | 'off';
  /** In `capiIpam.managementClusters` order. */
  managementClusters: EstateManagementCluster[];
  findings: EstateFinding[];
}
