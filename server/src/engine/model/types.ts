// What the engine knows about a workspace (and, later, a live management cluster):
// workload clusters with the places their VIP is written, and the IPAM inventory.
import type { Location, Span, TextEdit } from '../types';
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

export type PoolKind = 'InClusterIPPool' | 'GlobalInClusterIPPool';

export interface PoolInfo {
  kind: PoolKind;
  name: string;
  /** Undefined for GlobalInClusterIPPool. */
  namespace?: string;
  spec: PoolSpec;
  analysis: PoolAnalysis;
  /** Where the pool is declared; undefined for pools seen only live. */
  origin?: PoolOrigin;
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
  /** Node addresses: Machines' `status.addresses` (management clusters) and Nodes' (workload clusters), each with its owner. */
  nodeAddresses: NodeAddressInfo[];
  /** Workload clusters read live (issue 22), each with its own Services, kube-vip ConfigMap and nodes. */
  estate: EstateCluster[];
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
