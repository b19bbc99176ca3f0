// The IPAM inventory declared in workspace files: pools, claims, addresses, LoadBalancer Services
// and the kube-vip cloud provider's ranges.
import { isScalar, type YAMLMap } from 'yaml';
import { analyzePool, type PoolSpec } from '../ip/pool';
import { convertV1alpha1 } from '../ip/v1alpha1';
import { mapAt, mapItems, pairAt, scalarAt, seqAt, stringAt } from '../yaml/documents';
import { textSite, valueSite } from '../yaml/sites';
import { scalarSource } from '../yaml/source';
import { containsTemplate } from '../yaml/templates';
import type { Span } from '../types';
import { CLUSTER_NAME_LABEL } from './clusters';
import { type K8sObject, is } from './kinds';
import { type KubeVipConfig, type KubeVipPair, kubeVipConfig, rangesOf } from './kubeVipConfig';
import { isMachineTemplate, nodePoolRefs } from './nodePools';
import type { AddressInfo, ClaimInfo, Inventory, LbServiceInfo, PoolInfo, PoolKind, PoolRef } from './types';

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
  return Number(n.value);
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
  const sitesOf = (node: unknown) => {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') return [];
    const text = scalarSource(o.doc.source, node);
    let offset = 0;
    return text.text.split(',').map((part) => {
      const site = textSite(text, offset, offset + part.length);
      offset += part.length + 1;
      return { value: part, site: { uri: site.uri, span: site.span } };
    });
  };
  const add = (list: LbServiceInfo['ips']) => {
    for (const x of list) if (x.value && !ips.some((y) => y.value === x.value)) ips.push(x);
  };
  const annotation = sitesOf(mapAt(o.root, ['metadata', 'annotations'])?.get(LB_IPS_ANNOTATION, true));
  const specIp = sitesOf(scalarAt(o.root, ['spec', 'loadBalancerIP']));
  add(annotation);
  add(specIp);
  for (const { map } of mapItems(seqAt(o.root, ['status', 'loadBalancer', 'ingress']))) add(sitesOf(map.get('ip', true)));
  const ports = mapItems(seqAt(o.root, ['spec', 'ports'])).flatMap(({ map }) => {
    const n = Number(stringAt(map, ['port']));
    return Number.isInteger(n) ? [n] : [];
  });
  return { name: o.name, namespace: o.namespace ?? 'default', ips, requested: annotation.length ? annotation : specIp, ports, origin: o.anchor };
}

/** The kubevip ConfigMap's data, each value with the sites of its comma-separated parts. */
function kubeVipConfigOf(o: K8sObject): KubeVipConfig {
  const pairs: KubeVipPair[] = [];
  for (const pair of mapAt(o.root, ['data'])?.items ?? []) {
    if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
    const text = scalarSource(o.doc.source, pair.value);
    const siteOf = (start: number, end: number) => {
      const site = textSite(text, start, end);
      return { uri: site.uri, span: site.span };
    };
    pairs.push({ key: String(pair.key.value), value: pair.value.value === null ? '' : String(pair.value.value), siteOf });
  }
  return kubeVipConfig(o.namespace ?? 'default', pairs, o.anchor);
}

export function workspaceInventory(objects: K8sObject[]): Inventory {
  const inv: Inventory = { source: 'workspace', pools: [], claims: [], addresses: [], services: [], kubeVipRanges: [], endpoints: [], nodePools: [] };
  for (const o of objects) {
    // A pool with templated fields is unknown until the template is rendered: neither judged nor used.
    if (is.pool(o)) {
      if (!containsTemplate(o.root.get('spec', true))) inv.pools.push(poolOf(o));
    }
    else if (is.claim(o)) inv.claims.push(claimOf(o));
    else if (is.address(o)) inv.addresses.push(addressOf(o));
    else if (is.service(o)) {
      const s = serviceOf(o);
      if (s) inv.services.push(s);
    } else if (is.kubeVipConfigMap(o)) {
      const config = kubeVipConfigOf(o);
      (inv.kubeVipConfigs ??= []).push(config);
      inv.kubeVipRanges.push(...rangesOf(config));
    }
    else if (isMachineTemplate(o)) inv.nodePools!.push(...nodePoolRefs(o));
  }
  return inv;
}

