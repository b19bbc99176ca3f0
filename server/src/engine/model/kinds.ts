// Kubernetes objects recognised by API group and kind (any served version).
import type { YAMLMap } from 'yaml';
import { type ParsedDoc, mapItems, scalarAt, seqAt, stringAt } from '../yaml/documents';
import type { Location } from '../types';
import { perObject } from '../memo';
import { EXTERNAL_POOL_KINDS } from './types';

/** The ConfigMap the kube-vip cloud provider Helm chart renders (`<chart name>-cm`, its KUBEVIP_CONFIG_MAP). */
export const KUBE_VIP_CHART_CONFIGMAP = 'kube-vip-cloud-provider-cm';

/** Cluster-scoped kinds of the other address sources (issue 23). */
const SOURCE_CLUSTER_SCOPED = ['GlobalInClusterPrefixPool', 'GlobalNetBoxIPPool', 'CiliumLoadBalancerIPPool'];

export const GROUPS = {
  cluster: 'cluster.x-k8s.io',
  infrastructure: 'infrastructure.cluster.x-k8s.io',
  controlPlane: 'controlplane.cluster.x-k8s.io',
  ipam: 'ipam.cluster.x-k8s.io',
} as const;

export interface K8sObject {
  group: string;
  version: string;
  kind: string;
  name: string;
  /** 'default' when the document does not say (kubectl's default), undefined for cluster-scoped kinds. */
  namespace?: string;
  root: YAMLMap;
  doc: ParsedDoc;
  /** The `metadata.name` value (or the document start), for anchoring findings. */
  anchor: Location;
}

const CLUSTER_SCOPED = new Set(['GlobalInClusterIPPool', 'Namespace', 'ClusterClass', ...SOURCE_CLUSTER_SCOPED]);

interface Identity {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace?: string;
  range: [number, number];
}

function identityOf(root: YAMLMap): Identity | null {
  const apiVersion = stringAt(root, ['apiVersion']);
  const kind = stringAt(root, ['kind']);
  if (!apiVersion || !kind) return null;
  const slash = apiVersion.lastIndexOf('/');
  const nameNode = scalarAt(root, ['metadata', 'name']);
  const r = nameNode?.range ?? root.range ?? [0, 0];
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: apiVersion.slice(slash + 1),
    kind,
    name: stringAt(root, ['metadata', 'name']) ?? '',
    namespace: CLUSTER_SCOPED.has(kind) ? undefined : (stringAt(root, ['metadata', 'namespace']) ?? 'default'),
    range: [r[0], r[1]],
  };
}

/**
 * The objects a parsed document declares, made once per document (anchors follow the document):
 * one, or the items of a `kind: List` (what `kubectl get -o yaml` prints).
 */
export const objectsOf: (doc: ParsedDoc) => K8sObject[] = perObject(makeObjects);

function makeObjects(doc: ParsedDoc): K8sObject[] {
  if (!doc.root) return [];
  const id = identityOf(doc.root);
  if (id && id.group === '' && /List$/.test(id.kind)) {
    return mapItems(seqAt(doc.root, ['items'])).flatMap(({ map }) => {
      const item = identityOf(map);
      return item && !/List$/.test(item.kind) ? [makeObject(doc, map, item)] : [];
    });
  }
  if (id) return [makeObject(doc, doc.root, id)];
  // A Helm values document (no apiVersion, no kind) with the kube-vip cloud provider chart's `cm` (issue 23).
  const r = doc.root.range ?? [0, 0];
  return doc.root.has('cm') && !doc.root.has('apiVersion') && !doc.root.has('kind')
    ? [makeObject(doc, doc.root, { group: '', version: '', kind: HELM_VALUES, name: '', range: [r[0], r[0]] })]
    : [];
}

/** The kind given to a Helm values document that may carry kube-vip cloud provider ranges. */
export const HELM_VALUES = '(Helm values)';

function makeObject(doc: ParsedDoc, root: YAMLMap, id: Identity): K8sObject {
  const { range, ...rest } = id;
  return {
    ...rest,
    root,
    doc,
    get anchor() {
      return { uri: doc.source.uri, span: doc.source.outerSpan(range[0], range[1]) };
    },
  };
}

export const is = {
  cluster: (o: K8sObject) => o.group === GROUPS.cluster && o.kind === 'Cluster',
  /** Any infrastructure cluster (VSphereCluster, ProxmoxCluster, …) of any infrastructure group. */
  infraCluster: (o: K8sObject) => /(^|\.)infrastructure\.cluster\.x-k8s\.io$/.test(o.group) && /Cluster$/.test(o.kind) && !/Template$/.test(o.kind),
  kcp: (o: K8sObject) => o.group === GROUPS.controlPlane && o.kind === 'KubeadmControlPlane',
  pool: (o: K8sObject) => o.group === GROUPS.ipam && (o.kind === 'InClusterIPPool' || o.kind === 'GlobalInClusterIPPool'),
  claim: (o: K8sObject) => o.group === GROUPS.ipam && o.kind === 'IPAddressClaim',
  address: (o: K8sObject) => o.group === GROUPS.ipam && o.kind === 'IPAddress',
  service: (o: K8sObject) => o.group === '' && o.version === 'v1' && o.kind === 'Service',
  secret: (o: K8sObject) => o.group === '' && o.kind === 'Secret',
  kubeVipConfigMap: (o: K8sObject) => o.group === '' && o.kind === 'ConfigMap' && (o.name === 'kubevip' || o.name === KUBE_VIP_CHART_CONFIGMAP),
  // Other address sources (issue 23).
  metal3Pool: (o: K8sObject) => o.group === 'ipam.metal3.io' && o.kind === 'IPPool',
  prefixPool: (o: K8sObject) => o.group === GROUPS.ipam && (o.kind === 'InClusterPrefixPool' || o.kind === 'GlobalInClusterPrefixPool'),
  externalPool: (o: K8sObject) => o.group === GROUPS.ipam && Object.hasOwn(EXTERNAL_POOL_KINDS, o.kind),
  proxmoxCluster: (o: K8sObject) => o.group === GROUPS.infrastructure && o.kind === 'ProxmoxCluster',
  metalLbPool: (o: K8sObject) => o.group === 'metallb.io' && o.kind === 'IPAddressPool',
  l2Advertisement: (o: K8sObject) => o.group === 'metallb.io' && o.kind === 'L2Advertisement',
  ciliumPool: (o: K8sObject) => o.group === 'cilium.io' && o.kind === 'CiliumLoadBalancerIPPool',
  /** The kube-vip cloud provider chart's values: a values document, or a Flux HelmRelease of the chart. */
  kubeVipChartValues: (o: K8sObject) =>
    o.kind === HELM_VALUES ||
    (o.group === 'helm.toolkit.fluxcd.io' &&
      o.kind === 'HelmRelease' &&
      /kube-vip-cloud-provider/.test(stringAt(o.root, ['spec', 'chart', 'spec', 'chart']) ?? stringAt(o.root, ['spec', 'chartRef', 'name']) ?? '')),
  rollout: (o: K8sObject) =>
    (o.group === GROUPS.controlPlane && o.kind === 'KubeadmControlPlane') || (o.group === GROUPS.cluster && o.kind === 'MachineDeployment'),
};
