// The IPAM inventory declared in workspace files: pools, claims, addresses, LoadBalancer Services
// and the kube-vip cloud provider's ranges. Each document is decoded by decode.ts, as the live
// cluster's objects are; this file adds where the file writes each value.
import { mapAt, pairAt, scalarAt } from '../yaml/documents';
import { plainOf } from '../yaml/plain';
import { textSite, valueSite } from '../yaml/sites';
import { scalarSource } from '../yaml/source';
import { containsTemplate } from '../yaml/templates';
import { decodeAddress, decodeClaim, decodeKubeVipConfig, decodePool, decodeService, type Positions } from './decode';
import { type K8sObject, is } from './kinds';
import { rangesOf } from './kubeVipConfig';
import { isMachineTemplate, nodePoolRefs } from './nodePools';
import type { Inventory, PoolKind } from './types';

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
  return is.pool(o) || is.claim(o) || is.address(o) || is.service(o) || is.kubeVipConfigMap(o) || isMachineTemplate(o);
}

export function workspaceInventory(objects: readonly K8sObject[]): Inventory {
  const inv: Inventory = {
    source: 'workspace',
    pools: [],
    claims: [],
    addresses: [],
    services: [],
    kubeVipRanges: [],
    endpoints: [],
    nodePools: [],
    nodeAddresses: [],
    estate: [],
  };
  for (const o of objects) {
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
    } else if (isMachineTemplate(o)) inv.nodePools!.push(...nodePoolRefs(o));
  }
  return inv;
}
