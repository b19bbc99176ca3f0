// Pools that machines draw their node addresses from: the references in machine templates'
// `addressesFromPools` (CAPV VSphereMachineTemplate network devices), `ipv4PoolRef`/`ipv6PoolRef`
// (CAPMOX), `fromPoolRef` (CAPM3 Metal3DataTemplate) and the like. Such a pool is a node pool.
import { isMap, isScalar, isSeq } from 'yaml';
import { stringAt } from '../yaml/documents';
import type { K8sObject } from './kinds';
import { EXTERNAL_POOL_KINDS, type NodePoolRef } from './types';
import { perObject } from '../memo';

// Every kind that answers IPAddressClaims: CAIP's, Metal3's IPPool, the external IPAM providers'.
const POOL_KINDS = new Set([
  'InClusterIPPool',
  'GlobalInClusterIPPool',
  'IPPool',
  'InClusterPrefixPool',
  'GlobalInClusterPrefixPool',
  ...Object.keys(EXTERNAL_POOL_KINDS),
]);
/** Keys whose value is a sequence of pool references, or one reference. */
const LIST_KEYS = new Set(['addressesFromPools']);
const REF_KEY = /^(ipv4PoolRef|ipv6PoolRef|fromPoolRef|poolRef)$/;
/** Adversarial documents: the walk stops after this many nodes. */
const MAX_NODES = 20_000;

export function isMachineTemplate(o: K8sObject): boolean {
  return /(^|\.)cluster\.x-k8s\.io$/.test(o.group) && (/MachineTemplate$/.test(o.kind) || o.kind === 'Metal3DataTemplate');
}

/**
 * Every IPAM pool reference in a machine (or data) template. Made once per object (so once per
 * document text): the walk visits the whole template, and references carry no positions.
 */
export const nodePoolRefs: (o: K8sObject) => readonly NodePoolRef[] = perObject(refsIn);

function refsIn(o: K8sObject): NodePoolRef[] {
  const out: NodePoolRef[] = [];
  const add = (ref: unknown) => {
    const kind = stringAt(ref, ['kind']);
    const name = stringAt(ref, ['name']);
    if (!kind || !name || !POOL_KINDS.has(kind)) return;
    const namespace = kind.startsWith('Global') ? undefined : (o.namespace ?? 'default');
    if (!out.some((r) => r.kind === kind && r.name === name && r.namespace === namespace)) out.push({ kind, name, namespace });
  };
  const stack: unknown[] = [o.root];
  let budget = MAX_NODES;
  while (stack.length && budget-- > 0) {
    const node = stack.pop();
    if (isSeq(node)) for (const item of node.items) stack.push(item);
    if (!isMap(node)) continue;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (LIST_KEYS.has(key) && isSeq(pair.value)) pair.value.items.forEach(add);
      else if (REF_KEY.test(key) && isMap(pair.value)) add(pair.value);
      else stack.push(pair.value);
    }
  }
  return out;
}
