// What the engine knows about a workspace (and, later, a live management cluster):
// workload clusters with the places their VIP is written, and the IPAM inventory.
import type { Location, Span, TextEdit } from '../types';
import type { LiveClusterClass } from './clusterClass';
import type { PoolAnalysis, PoolSpec } from '../ip/pool';
import type { Change, SourceText } from '../yaml/source';
import type { KubeVipConfig } from './kubeVipConfig';

/**
 * A scalar value written somewhere in a file, possibly inside YAML embedded in a string
 * (the kube-vip manifest in `files[].content`, a Secret's `stringData`/base64 `data`,
 * a ClusterClass string variable). `span` always points into the OUTER file and covers
 * exactly the characters of the value (for base64 `data`: the whole encoded scalar).
 */
export interface ValueSite extends Location {
  /** The value as the consumer reads it (decoded, unquoted). */
  value: string;
  /** True when the value contains a template (`${VAR}`, `{{ … }}`): never an IP error. */
  templated: boolean;
  /** Edits that make the consumer read `newValue` here, keeping the rest of the file as is. */
  rewrite(newValue: string): TextEdit[];
  /**
   * The same rewrite as a change of the text the value lives in, so that several values of one
   * re-encoded text (a base64 Secret, say) are written in one edit. Undefined: use `rewrite`.
   */
  change?(newValue: string): { text: SourceText; change: Change } | undefined;
}

export type VipRole =
  | 'cluster-endpoint' // Cluster.spec.controlPlaneEndpoint.host
  | 'infra-endpoint' // <Infra>Cluster.spec.controlPlaneEndpoint.host
  | 'kcp-endpoint' // KCP ...clusterConfiguration.controlPlaneEndpoint (host part of host[:port])
  | 'kube-vip-address' // env `address` of the kube-vip static pod
  | 'kube-vip-vip_address' // env `vip_address` of the kube-vip static pod
  | 'topology-variable' // Cluster.spec.topology.variables[controlPlaneIpAddr or a mapped name]
  | 'rke2-registration' // RKE2ControlPlane .spec.registrationAddress (registrationMethod address / control-plane-endpoint)
  | 'talos-vip' // Talos' own VIP: machine.network.interfaces[].vip.ip (also vlans[]), a Layer2VIPConfig's name
  | 'talos-endpoint' // Talos cluster.controlPlane.endpoint (the URL's host)
  | 'keepalived-vip'; // an address of keepalived.conf's virtual_ipaddress block

/** One place where a workload cluster's VIP is written. For `kcp-endpoint` the site covers only the host. */
export interface VipPlace extends ValueSite {
  role: VipRole;
  /** Human label for messages, e.g. "VSphereCluster vsphere-quickstart .spec.controlPlaneEndpoint.host". */
  label: string;
  /** kube-vip uses `address` when both are set: a `vip_address` next to an `address` is shadowed. */
  shadowed?: boolean;
  /** For a kube-vip env place: its container (image and env names), for the kube-vip drift rule. */
  kubeVip?: KubeVipContainer;
}

/** A kube-vip container of a manifest: its image and the names of its env entries, located. */
export interface KubeVipContainer {
  image?: ValueSite;
  env: { name: string; at: ValueSite }[];
}

export interface CertSanSite extends ValueSite {
  index: number;
}

/** The certSANs list of a KCP (present or not), so that an edit can add the VIP. */
export interface CertSanList {
  items: CertSanSite[];
  /** Edits that append `value` to the list, creating `apiServer.certSANs` when missing. */
  append(value: string): TextEdit[];
  /** Edits that remove item `index` (its whole line in a block list; it and a comma in a flow list); [] when unsure. */
  remove(index: number): TextEdit[];
}

export interface CidrSite extends Location {
  value: string;
}

/** A workload cluster assembled from its parts, linked by name/namespace across documents and files. */
export interface WorkloadCluster {
  name: string;
  namespace: string;
  /** Where the `Cluster` document is (absent if only infra/KCP docs were found). */
  cluster?: Location;
  /** Location used to anchor cluster-level findings (the Cluster's name, else the first place). */
  anchor: Location;
  places: VipPlace[];
  certSans?: CertSanList;
  podCidrs: CidrSite[];
  serviceCidrs: CidrSite[];
  /** Files the cluster's parts live in. */
  uris: string[];
  /** Names of IPAddressClaims that belong to this cluster (its own claim is never a conflict). */
  claimNames: string[];
  /** Pool named by the annotation `capi-ipam.dev/pool` on the Cluster, if any. */
  poolHint?: string;
}

export type PoolKind = 'InClusterIPPool' | 'GlobalInClusterIPPool' | SourcePoolKind;

// ---- Other address sources (issue 23) ----
/** Claim-contract pools whose ranges live in an external IPAM (group ipam.cluster.x-k8s.io), by kind → the system that holds them. */
export const EXTERNAL_POOL_KINDS = {
  InfobloxIPPool: 'Infoblox',
  NetBoxIPPool: 'NetBox',
  GlobalNetBoxIPPool: 'NetBox',
  NutanixIPPool: 'Nutanix',
  UnifiIPPool: 'UniFi',
} as const;
export type ExternalPoolKind = keyof typeof EXTERNAL_POOL_KINDS;
/**
 * Pools of the other address sources: Metal3's `IPPool` (ipam.metal3.io), CAIP's prefix pools, the
 * external claim-contract pools, and an infrastructure cluster's own node range (ProxmoxCluster ipv4Config/ipv6Config).
 */
export type SourcePoolKind = 'IPPool' | 'InClusterPrefixPool' | 'GlobalInClusterPrefixPool' | 'ProxmoxCluster' | ExternalPoolKind;

/** What a pool of another address source adds to PoolInfo. */
export interface PoolSource {
  /** The API group, when not ipam.cluster.x-k8s.io (Metal3: ipam.metal3.io). */
  group?: string;
  /** Ranges managed outside the cluster ("Infoblox", "NetBox", …): nothing is known of them but their IPAddresses. */
  managedBy?: string;
  /** Addresses the pool itself records as taken: Metal3 `preAllocations` and `status.allocations`/`status.indexes`. */
  held?: { address: string; name: string }[];
  /** An infrastructure cluster's node range (ProxmoxCluster `ipv4Config`): always a node pool, never claimed from. */
  nodeRange?: boolean;
  /** Prefix pools: the length of each sub-prefix handed out (`allocationPrefixLength`). */
  allocationPrefixLength?: number;
  /** The cluster whose machines draw from it: a ProxmoxCluster node range's cluster, a Metal3 IPPool's `spec.clusterName`. */
  cluster?: string;
}

export interface PoolInfo {
  kind: PoolKind;
  name: string;
  /** Undefined for GlobalInClusterIPPool. */
  namespace?: string;
  spec: PoolSpec;
  analysis: PoolAnalysis;
  /** Where the pool is declared; undefined for pools seen only live. */
  origin?: PoolOrigin;
  /** Other address sources (issue 23). */
  source?: PoolSource;
  /** `addressReuseGracePeriodSeconds`: a released address stays held this long (CAIP). */
  graceSeconds?: number;
  /** Who holds it (a live pool: its management cluster). */
  owner?: Owner;
}

export interface PoolOrigin extends Location {
  /** Spans of the values of `spec.addresses[i]`, `spec.excludedAddresses[i]`, `spec.gateway`, `spec.prefix` for precise findings. */
  addresses: Span[];
  excludedAddresses: Span[];
  gateway?: Span;
  prefix?: Span;
  /** Span of the misspelt key `excludeAddresses`, when present. */
  excludeTypo?: Span;
  /** The spec also has the right key `excludedAddresses` (a rename would duplicate it). */
  excludedKey?: boolean;
  /** Span of `spec.addressReuseGracePeriodSeconds`, or of another source's field a problem names (allocationPrefixLength). */
  fields?: Partial<Record<string, Span>>;
}

export interface PoolRef {
  apiGroup?: string;
  kind: string;
  name: string;
}

export interface ClaimInfo {
  name: string;
  namespace: string;
  poolRef: PoolRef;
  clusterName?: string;
  origin?: Location;
}

export interface AddressInfo {
  name: string;
  namespace: string;
  address: string;
  prefix?: number;
  gateway?: string;
  poolRef: PoolRef;
  claimName: string;
  /** From the cluster-name label, or resolved through the claim's spec.clusterName. */
  clusterName?: string;
  origin?: Location;
  /** The management cluster that serves it. */
  owner?: Owner;
}

export interface LbServiceInfo {
  name: string;
  namespace: string;
  /** spec.loadBalancerIP, annotation kube-vip.io/loadbalancerIPs entries, status.loadBalancer.ingress[].ip */
  ips: { value: string; site?: Location }[];
  /** What the kube-vip cloud provider reads as the Service's address: the annotation's entries, else spec.loadBalancerIP. */
  requested?: { value: string; site?: Location }[];
  /** spec.ports[].port: Services may share an IP (allow-share) only on distinct ports. */
  ports?: number[];
  origin?: Location;
  /** spec.loadBalancerClass, labels and annotations: which LB provider serves it, and which of its pools (issue 23). */
  loadBalancerClass?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A label selector (matchLabels, matchExpressions) as Kubernetes writes it. */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: string; values: string[] }[];
}

export type LbProvider = 'kube-vip' | 'metallb' | 'cilium';

/** A load-balancer pool of MetalLB (`IPAddressPool`) or Cilium LB-IPAM (`CiliumLoadBalancerIPPool`). */
export interface LbPoolInfo {
  provider: 'metallb' | 'cilium';
  kind: 'IPAddressPool' | 'CiliumLoadBalancerIPPool';
  name: string;
  /** MetalLB pools are namespaced (metallb-system); Cilium's are cluster-scoped. */
  namespace?: string;
  /** `addresses[]` (MetalLB), `blocks[]` as `cidr` or `start-stop` (Cilium). */
  entries: { text: string; site?: Location }[];
  /** MetalLB `autoAssign` (default true): false hands out only requested addresses. */
  autoAssign: boolean;
  /** MetalLB `avoidBuggyIPs`: never .0 or .255. */
  avoidBuggyIPs: boolean;
  /** Cilium `disabled`: no new allocation. */
  disabled: boolean;
  /** Cilium `allowFirstLastIPs`: the first and last address of a CIDR block are handed out too. */
  allowFirstLastIPs: boolean;
  /** MetalLB `serviceAllocation.namespaces` (empty: any namespace). */
  namespaces: string[];
  namespaceSelectors: LabelSelector[];
  /** MetalLB `serviceAllocation.serviceSelectors`, Cilium `serviceSelector`. */
  serviceSelectors: LabelSelector[];
  /** MetalLB: named by (or selected by) an L2Advertisement; undefined when no advertisement is known. */
  advertised?: boolean;
  origin?: Location;
}

/** A MetalLB L2Advertisement: which pools it announces (none named and no selector: all). */
export interface L2AdvertisementInfo {
  name: string;
  namespace: string;
  ipAddressPools: string[];
  selectors: LabelSelector[];
}

/** A rollout that draws node addresses from pools: a KubeadmControlPlane or a MachineDeployment. */
export interface RolloutInfo {
  kind: 'KubeadmControlPlane' | 'MachineDeployment';
  name: string;
  namespace: string;
  clusterName?: string;
  replicas: number;
  /** Machines created above `replicas` during a rolling update (CAPI's defaults: KCP 1, MachineDeployment 1). */
  maxSurge: number;
  /** The machine template it stamps machines from: its pools are the ones drawn from. */
  template?: { kind: string; name: string };
  origin?: Location;
}

export interface KubeVipRange {
  /** Namespace of the kubevip ConfigMap. */
  configMapNamespace: string;
  /** e.g. `cidr-global`, `range-default`. */
  key: string;
  /** 'global' or the namespace the key serves. */
  scope: string;
  entry: string;
  site?: Location;
}

/** A cluster endpoint known from outside the workspace (the management cluster). */
export interface KnownEndpoint {
  clusterName: string;
  namespace: string;
  host: string;
  kind: string;
  /** The management cluster that serves the object (several may be connected). */
  owner?: Owner;
}

/** A pool that machine templates draw node addresses from (`addressesFromPools` and the like). */
export interface NodePoolRef {
  kind: string;
  name: string;
  /** Undefined for GlobalInClusterIPPool. */
  namespace?: string;
  /** The machine template that references the pool (the capacity forecast follows rollouts to it). */
  template?: { kind: string; name: string };
}

export interface Inventory {
  source: 'workspace' | 'live';
  /**
   * Pools declared in workspace files, also those a live pool of the same identity replaces in `pools`:
   * a pool document keeps its checks when connected. Undefined: the pools with an origin.
   */
  declaredPools?: PoolInfo[];
  /** Pools referenced by machine templates: node pools (workspace templates; absent when none are known). */
  nodePools?: NodePoolRef[];
  pools: PoolInfo[];
  claims: ClaimInfo[];
  addresses: AddressInfo[];
  services: LbServiceInfo[];
  kubeVipRanges: KubeVipRange[];
  /** The kube-vip cloud provider's ConfigMaps, whole (pools, allow-share, search-order, …). */
  kubeVipConfigs?: KubeVipConfig[];
  /**
   * kube-vip ConfigMaps declared in workspace files, also when the live one replaces them in
   * `kubeVipConfigs`: a live entry written in the file too is reported at its place there.
   * Undefined: offline (`kubeVipConfigs` are the files').
   */
  declaredKubeVipConfigs?: KubeVipConfig[];
  endpoints: KnownEndpoint[];
  // ---- Other address sources (issue 23) ----
  /** MetalLB and Cilium LB-IPAM pools. */
  lbPools: LbPoolInfo[];
  /** MetalLB L2Advertisements. */
  l2Advertisements: L2AdvertisementInfo[];
  /** KubeadmControlPlanes and MachineDeployments: what a rolling update draws from node pools at once. */
  rollouts: RolloutInfo[];
  /** Node addresses: Machines' `status.addresses` (management clusters) and Nodes' (workload clusters), each with its owner. */
  nodeAddresses: NodeAddressInfo[];
  /** Workload clusters read live (issue 22), each with its own Services, kube-vip ConfigMap and nodes. */
  estate: EstateCluster[];
  /** The management cluster's ClusterClasses (live only): a workspace Cluster whose class is not in the workspace learns its VIP variables from them. */
  clusterClasses?: LiveClusterClass[];
}

/**
 * Who holds an address in the estate: the object, and the clusters it lives in. The same shape as the
 * wire's `EstateOwner` (protocol.ts).
 */
export interface Owner {
  /** The management cluster's kubeconfig context; absent for a workspace file's object. */
  managementCluster?: string;
  /** `namespace/name` of the CAPI Cluster whose API server holds the object; absent for management-cluster objects. */
  workloadCluster?: string;
  kind: string;
  namespace?: string;
  name: string;
  source: 'workspace' | 'management' | 'workload';
}

export interface NodeAddressInfo {
  /** As written: an IP (compared canonically) or a host name (Hostname, *DNS types). */
  address: string;
  /** Hostname, ExternalIP, InternalIP, ExternalDNS, InternalDNS. */
  type: string;
  /** The Node's name (a Machine's `status.nodeRef.name`, else the Machine's name). */
  node: string;
  /** `namespace/name` of the CAPI Cluster the node belongs to, when known. */
  cluster?: string;
  owner: Owner;
}

/** A workload cluster as its management cluster and its own API server show it. */
export interface EstateCluster {
  managementCluster: string;
  namespace: string;
  name: string;
  /** False when the workload cluster itself was not read (off, unreachable, forbidden before the first list). */
  read: boolean;
  /** The control-plane endpoint host, from the Cluster or its infrastructure cluster. */
  endpoint?: KnownEndpoint;
  /** The node holding kube-vip's control-plane lease, when readable. */
  vipHolder?: string;
  /** `spec.clusterNetwork.pods.cidrBlocks` and `.services.cidrBlocks` of the Cluster. */
  podCidrs: string[];
  serviceCidrs: string[];
  /** LoadBalancer Services of the workload cluster (owner set). */
  services: (LbServiceInfo & { owner: Owner })[];
  /** Its `kube-system/kubevip` ConfigMap, when there is one. */
  kubeVipConfig?: KubeVipConfig;
}
