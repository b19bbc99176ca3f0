// The engine's public surface: the only module that code outside server/src/engine/ imports
// (test/unit/engineBoundary.test.ts fails otherwise). Pure: text and plain objects in, findings,
// views and edits out, with spans as UTF-16 offsets into a file's text.

// The one door: changes in (files, the live inventory, options), immutable snapshots out, each answering every feature.
export { AnalysisHost, Snapshot, MAX_FILE_BYTES, type Analysis, type HostOptions, type ClusterRef } from './host';
export type { Span, Location, Severity, RuleCode, RelatedInfo, Finding, TextEdit, Fix } from './types';
export { ruleOf, type RenderFailure } from './rules/index';
export { LineIndex, type Position } from './text/positions';
export { escapeMarkdown, escapeCode } from './text/markdown';

// What the features answer.
export type { HoverHit } from './features/hover';
export type { AddressCompletion } from './features/completion';
export type { Lens, LensAction, LensOptions } from './features/codeLens';
export type { AllocationView, PoolView, PoolBlockView, ServiceView, KubeVipRangeView } from './features/viewTypes';
export type { AddressBlock } from './features/addressGroups';
export type { PoolMapData, MapCell, MapBlock, CellState } from './features/poolMap';
export type { PoolUsage } from './features/usage';
export { allocationEdits, clusterFile, type AllocationChoice, type ClaimEdit } from './features/allocation';

// The model: clusters, pools and the other inventory (what the live side decodes into).
export type { WorkloadCluster, Inventory, PoolInfo, PoolKind, AddressInfo, ClaimInfo, KnownEndpoint, LbServiceInfo } from './model/types';
export { CLUSTER_NAME_LABEL, vipClaimName, type TopologyVariables } from './model/clusters';
export { LB_IPS_ANNOTATION, decodeAddress, decodeClaim, decodeKubeVipConfig, decodePool, decodeService } from './model/decode';
export {
  decodeCiliumPool,
  decodeExternalPool,
  decodeL2Advertisement,
  decodeMetal3Pool,
  decodeMetalLbPool,
  decodePrefixPool,
  decodeProxmoxRanges,
  decodeRollout,
} from './model/sourcesDecode';
export { EXTERNAL_POOL_KINDS, type ExternalPoolKind } from './model/types';
export { rangesOf, activeKubeVip, type KubeVipConfig } from './model/kubeVipConfig';
export { kubeVipUsage } from './features/kubeVipUsage';
export { canonical } from './ip/addr';
export { poolLabel } from './model/pools';

// Edits and the claim document.
export { applyEdits } from './edits';
export { claimObject, claimDocumentEdit, CLUSTER_ANNOTATION, CREATED_BY, CREATED_BY_ANNOTATION, type ClaimOptions, type ClaimPool } from './claimDocument';
export { appendToSeq } from './yaml/insert';
export type { SourceText } from './yaml/source';

// Host names and the admission policy.
export { HostResolver, type Lookup, type Resolution } from './hostnames';
export { policyYaml } from './policy/yaml';
export type { PolicyFormat } from './policy/admission';
// The estate (issue 22): several management clusters, their workload clusters and every address's owner.
export type { Owner, NodeAddressInfo, EstateCluster } from './model/types';
export { decodeClusterClass, type LiveClusterClass } from './model/clusterClass';
export { decodeMachine, decodeNode, leaseHolder, clusterNetworks, ownerLabel, KUBE_VIP_CP_LEASE, type ReadFrom } from './model/estate';
export { estateFindings, type EstateFinding } from './rules/estate';
export { estateClusterData, type EstateClusterData } from './features/estate';
