// The IPAM inventory declared in workspace files: pools, claims, addresses, LoadBalancer Services
// and the kube-vip cloud provider's ranges. Each document is decoded by decode.ts, as the live
// cluster's objects are; this file adds where the file writes each value.
import { mapAt, pairAt, scalarAt } from '../yaml/documents';
import { plainOf } from '../yaml/plain';
import { textSite, valueSite } from '../yaml/sites';
import { scalarSource } from '../yaml/source';
import { containsTemplate } from '../yaml/templates';
import { decodeAddress, decodeClaim, decodeKubeVipConfig, decodePool, decodeService, type Positions } from './decode';
import { isMap, isScalar } from 'yaml';
import { stringAt } from '../yaml/documents';
import { HELM_VALUES, type K8sObject, is } from './kinds';
import { isPoolKey, rangesOf } from './kubeVipConfig';
import { isMachineTemplate, nodePoolRefs } from './nodePools';
import {
  decodeCiliumPool,
  decodeExternalPool,
  decodeL2Advertisement,
  decodeMetal3Pool,
  decodeMetalLbPool,
  decodePrefixPool,
  decodeProxmoxRanges,
  decodeRollout,
} from './sourcesDecode';
import type { ExternalPoolKind, Inventory, PoolKind } from './types';

/** The positions of an object's values in its file, through the yaml/ layers. */
function filePositions(o: K8sObject): Positions {
  const source = o.doc.source;
  return {
    get anchor() {
      return o.anchor;
    },
    span(path) {
      const n = scalarAt(o.root, path);
      return n && valueSite(source, n).span;
    },
    partSpan(path, start, end) {
      const n = scalarAt(o.root, path);
      return n && textSite(scalarSource(source, n), start, end).span;
    },
    keySpan(path) {
      const key = pairAt(mapAt(o.root, path.slice(0, -1)), String(path.at(-1)))?.key;
      return key?.range ? source.outerSpan(key.range[0], key.range[1]) : undefined;
    },
  };
}

/** Whether `o` is of a kind the inventory reads (what `workspaceInventory` decodes). */
export function isInventoryObject(o: K8sObject): boolean {
  return is.pool(o) || is.claim(o) || is.address(o) || is.service(o) || is.kubeVipConfigMap(o) || isMachineTemplate(o) || isSourceObject(o);
}

/** An inventory with nothing in it: every list present, so that a new field is added in one place. */
export function emptyInventory(source: Inventory['source']): Inventory {
  return {
    source,
    pools: [],
    claims: [],
    addresses: [],
    services: [],
    kubeVipRanges: [],
    endpoints: [],
    nodePools: [],
    lbPools: [],
    l2Advertisements: [],
    rollouts: [],
    nodeAddresses: [],
    estate: [],
  };
}

export function workspaceInventory(objects: readonly K8sObject[]): Inventory {
  const inv = emptyInventory('workspace');
  for (const o of objects) {
    if (sourceObject(inv, o)) continue;
    const plain = () => plainOf(o.root);
    // A pool with templated fields is unknown until the template is rendered: neither judged nor used.
    if (is.pool(o)) {
      if (!containsTemplate(o.root.get('spec', true))) inv.pools.push(decodePool(plain(), o.kind as PoolKind, filePositions(o)));
    } else if (is.claim(o)) inv.claims.push(decodeClaim(plain(), filePositions(o)));
    else if (is.address(o)) inv.addresses.push(decodeAddress(plain(), filePositions(o)));
    else if (is.service(o)) {
      const s = decodeService(plain(), filePositions(o));
      if (s) inv.services.push(s);
    } else if (is.kubeVipConfigMap(o)) {
      const config = decodeKubeVipConfig(plain(), filePositions(o));
      (inv.kubeVipConfigs ??= []).push(config);
      inv.kubeVipRanges.push(...rangesOf(config));
    } else if (isMachineTemplate(o)) inv.nodePools!.push(...nodePoolRefs(o).map((r) => ({ ...r, template: { kind: o.kind, name: o.name } })));
  }
  linkRollouts(inv, objects);
  return inv;
}

/** Objects the other address sources read (issue 23); Clusters too, whose controlPlaneRef names a KCP's cluster. */
export function isSourceObject(o: K8sObject): boolean {
  return (
    is.metal3Pool(o) ||
    is.prefixPool(o) ||
    is.externalPool(o) ||
    is.proxmoxCluster(o) ||
    is.metalLbPool(o) ||
    is.ciliumPool(o) ||
    is.l2Advertisement(o) ||
    is.kubeVipChartValues(o) ||
    is.rollout(o) ||
    is.cluster(o)
  );
}

/** The other address sources (issue 23); true when `o` was one. Templated specs are neither judged nor used. */
function sourceObject(inv: Inventory, o: K8sObject): boolean {
  const plain = () => plainOf(o.root);
  const templated = () => containsTemplate(o.root.get('spec', true));
  if (is.metal3Pool(o)) !templated() && inv.pools.push(decodeMetal3Pool(plain(), filePositions(o)));
  else if (is.prefixPool(o)) !templated() && inv.pools.push(decodePrefixPool(plain(), o.kind as 'InClusterPrefixPool', filePositions(o)));
  else if (is.externalPool(o)) inv.pools.push(decodeExternalPool(plain(), o.kind as ExternalPoolKind, filePositions(o)));
  else if (is.proxmoxCluster(o)) {
    if (!templated()) inv.pools.push(...decodeProxmoxRanges(plain(), filePositions(o)));
    return false; // also an infrastructure cluster (its endpoint)
  } else if (is.metalLbPool(o)) !templated() && inv.lbPools.push(decodeMetalLbPool(plain(), filePositions(o)));
  else if (is.ciliumPool(o)) !templated() && inv.lbPools.push(decodeCiliumPool(plain(), filePositions(o)));
  else if (is.l2Advertisement(o)) inv.l2Advertisements.push(decodeL2Advertisement(plain()));
  else if (is.kubeVipChartValues(o)) {
    const config = kubeVipChartConfig(o);
    if (config) {
      (inv.kubeVipConfigs ??= []).push(config);
      inv.kubeVipRanges.push(...rangesOf(config));
    }
  } else if (is.rollout(o)) {
    inv.rollouts.push(decodeRollout(plain(), o.kind as 'MachineDeployment', filePositions(o)));
    return false; // a KCP is also a cluster's part
  } else return false;
  return true;
}

/**
 * The kube-vip cloud provider chart's `cm.data`, in a values document or a Flux HelmRelease's
 * `spec.values`, read as the ConfigMap the chart renders (namespace: the release's, else kube-system).
 * Only values with a `cidr-*`/`range-*` key count: `cm` is a common name in other charts.
 */
function kubeVipChartConfig(o: K8sObject) {
  const release = o.kind !== HELM_VALUES;
  const prefix = release ? ['spec', 'values', 'cm', 'data'] : ['cm', 'data'];
  const data = o.root.getIn(prefix, true);
  if (!isMap(data) || !data.items.some((p) => isScalar(p.key) && isPoolKey(String(p.key.value)))) return undefined;
  if (containsTemplate(data)) return undefined;
  const namespace = release ? (stringAt(o.root, ['spec', 'targetNamespace']) ?? o.namespace ?? 'default') : 'kube-system';
  const at = filePositions(o);
  const moved = (path: (string | number)[]) => [...prefix, ...path.slice(1)];
  return decodeKubeVipConfig(
    { metadata: { namespace }, data: plainOf(data as never) },
    { ...at, anchor: at.anchor, span: (p) => at.span(moved(p)), partSpan: (p, a, b) => at.partSpan(moved(p), a, b), keySpan: (p) => at.keySpan(moved(p)) },
  );
}

/** A KCP names no cluster: the Cluster whose controlPlaneRef names it does. */
function linkRollouts(inv: Inventory, objects: readonly K8sObject[]): void {
  const byControlPlane = new Map<string, string>();
  for (const o of objects) {
    const ref = is.cluster(o) ? (plainOf(o.root) as { spec?: { controlPlaneRef?: { name?: unknown } } }).spec?.controlPlaneRef?.name : undefined;
    if (typeof ref === 'string') byControlPlane.set(`${o.namespace}/${ref}`, o.name);
  }
  for (const r of inv.rollouts) r.clusterName ??= byControlPlane.get(`${r.namespace}/${r.name}`);
}
