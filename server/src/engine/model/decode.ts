// One decoder for the Kubernetes kinds of the IPAM inventory, over plain objects: what JSON.parse
// gives for an API object, and what yaml/plain.ts gives for a file's document. A file also passes
// its Positions, so that findings point at the value's characters; an API object has none.
import { analyzePool, type PoolSpec } from '../ip/pool';
import { convertV1alpha1 } from '../ip/v1alpha1';
import type { Location, Span } from '../types';
import type { Path } from '../yaml/documents';
import { CLUSTER_NAME_LABEL } from './clusters';
import { type KubeVipConfig, kubeVipConfig } from './kubeVipConfig';
import type { AddressInfo, ClaimInfo, LbServiceInfo, PoolInfo, PoolKind, PoolRef } from './types';

export const LB_IPS_ANNOTATION = 'kube-vip.io/loadbalancerIPs';
/** The annotations that request a Service's addresses, kube-vip's first, then MetalLB's (both prefixes) and Cilium's. */
export const LB_REQUEST_ANNOTATIONS = [
  LB_IPS_ANNOTATION,
  'metallb.io/loadBalancerIPs',
  'metallb.universe.tf/loadBalancerIPs',
  'lbipam.cilium.io/ips',
  'io.cilium/lb-ipam-ips',
];

/** Where a file writes the object's values (see filePositions in inventory.ts). */
export interface Positions {
  /** The object's `metadata.name` value (or its document's start). */
  anchor: Location;
  /** The scalar value at `path`, null ones included (`gateway:`). */
  span(path: Path): Span | undefined;
  /** Characters [start, end) of the string at `path`. */
  partSpan(path: Path, start: number, end: number): Span | undefined;
  /** The key at `path` itself. */
  keySpan(path: Path): Span | undefined;
}

export type Plain = Record<string, unknown>;

export const obj = (v: unknown): Plain => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Plain) : {});
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A scalar as its text (a file's `prefix: 24` and `gateway: 10` are scalars too); null and collections are not. */
export const text = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : undefined;
export const num = (v: unknown): number | undefined => (v === '' || text(v) === undefined ? undefined : Number(v));
const has = (o: Plain, k: string) => Object.hasOwn(o, k);

export interface Meta {
  name: string;
  /** `default` when the object does not say (kubectl's default). */
  namespace: string;
  labels: Plain;
  annotations: Plain;
}

export function metaOf(o: unknown): Meta {
  const m = obj(obj(o).metadata);
  return { name: text(m.name) ?? '', namespace: text(m.namespace) ?? 'default', labels: obj(m.labels), annotations: obj(m.annotations) };
}

export const place = (at: Positions | undefined, span: Span | undefined): Location | undefined => (at && span ? { uri: at.anchor.uri, span } : undefined);

/** The scalar items of the list at `path`, each with its span when a file wrote it. */
export function texts(v: unknown, path: Path, at?: Positions): { values: string[]; spans: Span[] } {
  const values: string[] = [];
  const spans: Span[] = [];
  list(v).forEach((item, i) => {
    const t = text(item);
    if (t === undefined) return;
    values.push(t);
    const span = at?.span([...path, i]);
    if (span) spans.push(span);
  });
  return { values, spans };
}

/** The comma-separated parts of a non-empty string (empty parts kept: the provider fails on them). */
function parts(v: unknown, path: Path, at?: Positions): { value: string; site?: Location }[] {
  if (typeof v !== 'string' || v === '') return [];
  let offset = 0;
  return v.split(',').map((value) => {
    const site = place(at, at?.partSpan(path, offset, offset + value.length));
    offset += value.length + 1;
    return site ? { value, site } : { value };
  });
}

/**
 * An IP pool. An object the API server served went through Go's decoder, where an absent `prefix`
 * is 0; in a file it is missing (the webhook's "Required value").
 */
export function decodePool(o: unknown, kind: PoolKind, at?: Positions): PoolInfo {
  const s = obj(obj(o).spec);
  const addresses = texts(s.addresses, ['spec', 'addresses'], at);
  const excluded = texts(s.excludedAddresses, ['spec', 'excludedAddresses'], at);
  let prefix = num(s.prefix);
  let listed = addresses.values;
  if (String(text(obj(o).apiVersion) ?? '').endsWith('/v1alpha1')) {
    ({ addresses: listed, prefix } = convertV1alpha1({ addresses: listed, prefix, subnet: text(s.subnet), start: text(s.start), end: text(s.end) }));
  }
  const spec: PoolSpec = {
    addresses: listed,
    prefix: prefix ?? (at ? undefined : 0),
    gateway: text(s.gateway),
    excludedAddresses: excluded.values,
    allocateReservedIPAddresses: text(s.allocateReservedIPAddresses) === 'true',
    addressReuseGracePeriodSeconds: num(s.addressReuseGracePeriodSeconds),
  };
  const m = metaOf(o);
  const pool: PoolInfo = { kind, name: m.name, namespace: kind.startsWith('Global') ? undefined : m.namespace, spec, analysis: analyzePool(spec) };
  if (spec.addressReuseGracePeriodSeconds !== undefined) pool.graceSeconds = spec.addressReuseGracePeriodSeconds;
  if (at) {
    pool.origin = {
      ...at.anchor,
      addresses: addresses.spans,
      excludedAddresses: excluded.spans,
      gateway: at.span(['spec', 'gateway']),
      prefix: at.span(['spec', 'prefix']),
      excludeTypo: has(s, 'excludeAddresses') ? at.keySpan(['spec', 'excludeAddresses']) : undefined,
      excludedKey: has(s, 'excludedAddresses'),
      fields: { 'spec.addressReuseGracePeriodSeconds': at.span(['spec', 'addressReuseGracePeriodSeconds']) },
    };
  }
  return pool;
}

function poolRefOf(v: unknown): PoolRef {
  const r = obj(v);
  return { apiGroup: text(r.apiGroup), kind: text(r.kind) ?? '', name: text(r.name) ?? '' };
}

export function decodeClaim(o: unknown, at?: Positions): ClaimInfo {
  const m = metaOf(o);
  const s = obj(obj(o).spec);
  const claim: ClaimInfo = {
    name: m.name,
    namespace: m.namespace,
    poolRef: poolRefOf(s.poolRef),
    clusterName: text(s.clusterName) ?? text(m.labels[CLUSTER_NAME_LABEL]),
  };
  if (at) claim.origin = at.anchor;
  return claim;
}

export function decodeAddress(o: unknown, at?: Positions): AddressInfo {
  const m = metaOf(o);
  const s = obj(obj(o).spec);
  const address: AddressInfo = {
    name: m.name,
    namespace: m.namespace,
    address: text(s.address) ?? '',
    prefix: num(s.prefix),
    gateway: text(s.gateway),
    poolRef: poolRefOf(s.poolRef),
    claimName: text(obj(s.claimRef).name) ?? m.name,
    clusterName: text(m.labels[CLUSTER_NAME_LABEL]),
  };
  if (at) address.origin = place(at, at.span(['spec', 'address'])) ?? at.anchor;
  return address;
}

/** A LoadBalancer Service (undefined for any other type): its addresses, what it requests, its ports. */
export function decodeService(o: unknown, at?: Positions): LbServiceInfo | undefined {
  const s = obj(obj(o).spec);
  if (text(s.type) !== 'LoadBalancer') return undefined;
  const m = metaOf(o);
  const ips: LbServiceInfo['ips'] = [];
  const add = (found: LbServiceInfo['ips']) => {
    for (const x of found) if (x.value && !ips.some((y) => y.value === x.value)) ips.push(x);
  };
  // kube-vip's annotation, else MetalLB's or Cilium's (issue 23): the first one written is what the Service asks for.
  const key = LB_REQUEST_ANNOTATIONS.find((k) => typeof m.annotations[k] === 'string' && m.annotations[k] !== '') ?? LB_IPS_ANNOTATION;
  const annotation = parts(m.annotations[key], ['metadata', 'annotations', key], at);
  const specIp = parts(s.loadBalancerIP, ['spec', 'loadBalancerIP'], at);
  add(annotation);
  add(specIp);
  list(obj(obj(obj(o).status).loadBalancer).ingress).forEach((ing, i) => add(parts(obj(ing).ip, ['status', 'loadBalancer', 'ingress', i, 'ip'], at)));
  const ports = list(s.ports).flatMap((p) => {
    const n = Number(text(obj(p).port));
    return Number.isInteger(n) ? [n] : [];
  });
  const service: LbServiceInfo = { name: m.name, namespace: m.namespace, ips, requested: annotation.length ? annotation : specIp, ports };
  // Which LB provider serves it, and which of its pools may (issue 23).
  const strings = (p: Plain) => Object.fromEntries(Object.entries(p).flatMap(([k, v]) => (text(v) === undefined ? [] : [[k, text(v)!]])));
  const lbClass = text(s.loadBalancerClass);
  if (lbClass) service.loadBalancerClass = lbClass;
  service.labels = strings(m.labels);
  service.annotations = strings(m.annotations);
  if (at) service.origin = at.anchor;
  return service;
}

/** The kube-vip cloud provider's ConfigMap: each data value with the sites of its comma-separated parts. */
export function decodeKubeVipConfig(o: unknown, at?: Positions): KubeVipConfig {
  const pairs = Object.entries(obj(obj(o).data)).flatMap(([key, v]) => {
    if (v === undefined || (typeof v === 'object' && v !== null)) return []; // an alias or a collection
    const value = text(v) ?? '';
    const siteOf = at && ((start: number, end: number) => place(at, at.partSpan(['data', key], start, end)) ?? at.anchor);
    return [{ key, value, siteOf }];
  });
  return kubeVipConfig(metaOf(o).namespace, pairs, at?.anchor);
}
