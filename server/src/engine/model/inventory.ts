// The IPAM inventory declared in workspace files: pools, claims, addresses, LoadBalancer Services
// and the kube-vip cloud provider's ranges.
import { isScalar, type YAMLMap } from 'yaml';
import { analyzePool, type PoolSpec } from '../ip/pool';
import { convertV1alpha1 } from '../ip/v1alpha1';
import { mapAt, mapItems, pairAt, scalarAt, seqAt, stringAt } from '../yaml/documents';
import { textSite, valueSite } from '../yaml/sites';
import { scalarSource } from '../yaml/source';
import type { Span } from '../types';
import { CLUSTER_NAME_LABEL } from './clusters';
import { type K8sObject, is } from './kinds';
import { isMachineTemplate, nodePoolRefs } from './nodePools';
import type { AddressInfo, ClaimInfo, Inventory, KubeVipRange, LbServiceInfo, PoolInfo, PoolKind, PoolRef } from './types';

function stringList(o: K8sObject, path: string[]): { values: string[]; spans: Span[] } {
  const seq = seqAt(o.root, path);
  const values: string[] = [];
  const spans: Span[] = [];
  for (const n of seq?.items ?? []) {
    if (!isScalar(n) || n.value === null) continue;
    const site = valueSite(o.doc.source, n);
    values.push(site.value);
    spans.push(site.span);
  }
  return { values, spans };
}

function numberAt(o: K8sObject, path: string[]): number | undefined {
  const n = scalarAt(o.root, path);
  if (!n || n.value === null || n.value === undefined || n.value === '') return undefined;
  const v = Number(n.value);
  return Number.isInteger(v) ? v : NaN;
}

export function poolOf(o: K8sObject): PoolInfo {
  const addresses = stringList(o, ['spec', 'addresses']);
  const excluded = stringList(o, ['spec', 'excludedAddresses']);
  let prefix = pairAt(mapAt(o.root, ['spec']), 'prefix') ? numberAt(o, ['spec', 'prefix']) : undefined;
  let list = addresses.values;
  if (o.version === 'v1alpha1') {
    const field = (k: string) => stringAt(o.root, ['spec', k]);
    ({ addresses: list, prefix } = convertV1alpha1({ addresses: list, prefix, subnet: field('subnet'), start: field('start'), end: field('end') }));
  }
  const spec: PoolSpec = {
    addresses: list,
    prefix,
    gateway: stringAt(o.root, ['spec', 'gateway']),
    excludedAddresses: excluded.values,
    allocateReservedIPAddresses: stringAt(o.root, ['spec', 'allocateReservedIPAddresses']) === 'true',
  };
  const typo = pairAt(mapAt(o.root, ['spec']), 'excludeAddresses');
  return {
    kind: o.kind as PoolKind,
    name: o.name,
    namespace: o.kind === 'GlobalInClusterIPPool' ? undefined : o.namespace,
    spec,
    analysis: analyzePool(spec),
    origin: {
      ...o.anchor,
      addresses: addresses.spans,
      excludedAddresses: excluded.spans,
      gateway: valueSpan(o, 'gateway'),
      prefix: valueSpan(o, 'prefix'),
      excludeTypo: typo?.key?.range ? o.doc.source.outerSpan(typo.key.range[0], typo.key.range[1]) : undefined,
      excludedKey: !!pairAt(mapAt(o.root, ['spec']), 'excludedAddresses'),
    },
  };
}

function valueSpan(o: K8sObject, k: string): Span | undefined {
  const n = scalarAt(o.root, ['spec', k]);
  return n ? valueSite(o.doc.source, n).span : undefined;
}

function poolRefOf(map: YAMLMap | undefined): PoolRef {
  return { apiGroup: stringAt(map, ['apiGroup']), kind: stringAt(map, ['kind']) ?? '', name: stringAt(map, ['name']) ?? '' };
}

function claimOf(o: K8sObject): ClaimInfo {
  return {
    name: o.name,
    namespace: o.namespace ?? 'default',
    poolRef: poolRefOf(mapAt(o.root, ['spec', 'poolRef'])),
    clusterName: stringAt(o.root, ['spec', 'clusterName']) ?? stringAt(o.root, ['metadata', 'labels', CLUSTER_NAME_LABEL]),
    origin: o.anchor,
  };
}

function addressOf(o: K8sObject): AddressInfo {
  const node = scalarAt(o.root, ['spec', 'address']);
  return {
    name: o.name,
    namespace: o.namespace ?? 'default',
    address: stringAt(o.root, ['spec', 'address']) ?? '',
    prefix: numberAt(o, ['spec', 'prefix']),
    gateway: stringAt(o.root, ['spec', 'gateway']),
    poolRef: poolRefOf(mapAt(o.root, ['spec', 'poolRef'])),
    claimName: stringAt(o.root, ['spec', 'claimRef', 'name']) ?? o.name,
    clusterName: stringAt(o.root, ['metadata', 'labels', CLUSTER_NAME_LABEL]),
    origin: node ? { uri: o.doc.source.uri, span: valueSite(o.doc.source, node).span } : o.anchor,
  };
}

export const LB_IPS_ANNOTATION = 'kube-vip.io/loadbalancerIPs';

function serviceOf(o: K8sObject): LbServiceInfo | undefined {
  if (stringAt(o.root, ['spec', 'type']) !== 'LoadBalancer') return undefined;
  const ips: LbServiceInfo['ips'] = [];
  const add = (node: unknown) => {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') return;
    const text = scalarSource(o.doc.source, node);
    let offset = 0;
    for (const part of text.text.split(',')) {
      const site = textSite(text, offset, offset + part.length);
      if (part && !ips.some((x) => x.value === part)) ips.push({ value: part, site: { uri: site.uri, span: site.span } });
      offset += part.length + 1;
    }
  };
  const annotations = mapAt(o.root, ['metadata', 'annotations']);
  add(annotations?.get(LB_IPS_ANNOTATION, true));
  add(scalarAt(o.root, ['spec', 'loadBalancerIP']));
  for (const { map } of mapItems(seqAt(o.root, ['status', 'loadBalancer', 'ingress']))) add(map.get('ip', true));
  return { name: o.name, namespace: o.namespace ?? 'default', ips, origin: o.anchor };
}

/** `cidr-global`, `range-<ns>`, …: comma-separated entries, each with its own site. */
function kubeVipRangesOf(o: K8sObject): KubeVipRange[] {
  const data = mapAt(o.root, ['data']);
  const out: KubeVipRange[] = [];
  for (const pair of data?.items ?? []) {
    const k = isScalar(pair.key) ? String(pair.key.value) : '';
    const m = /^(cidr|range)-(.+)$/.exec(k);
    if (!m || !isScalar(pair.value) || typeof pair.value.value !== 'string') continue;
    const text = scalarSource(o.doc.source, pair.value);
    let offset = 0;
    for (const entry of text.text.split(',')) {
      const site = textSite(text, offset, offset + entry.length);
      if (entry !== '') out.push({ configMapNamespace: o.namespace ?? 'default', key: k, scope: m[2]!, entry, site: { uri: site.uri, span: site.span } });
      offset += entry.length + 1;
    }
  }
  return out;
}

export function workspaceInventory(objects: K8sObject[]): Inventory {
  const inv: Inventory = { source: 'workspace', pools: [], claims: [], addresses: [], services: [], kubeVipRanges: [], endpoints: [], nodePools: [] };
  for (const o of objects) {
    if (is.pool(o)) inv.pools.push(poolOf(o));
    else if (is.claim(o)) inv.claims.push(claimOf(o));
    else if (is.address(o)) inv.addresses.push(addressOf(o));
    else if (is.service(o)) {
      const s = serviceOf(o);
      if (s) inv.services.push(s);
    } else if (is.kubeVipConfigMap(o)) inv.kubeVipRanges.push(...kubeVipRangesOf(o));
    else if (isMachineTemplate(o)) inv.nodePools!.push(...nodePoolRefs(o));
  }
  return inv;
}

