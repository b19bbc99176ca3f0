// The kube-vip cloud provider's ConfigMap (`kube-system/kubevip`), read once for the workspace and for
// the live cluster alike: its pools, their entries with sites, and the options that change allocation.
// Lookup follows the provider (kube-vip-cloud-provider pkg/provider/loadBalancer.go): cidr-<ns>, cidr-global, range-<ns>, range-global.
import { type ProviderPool, providerPool } from '../ip/kubeVipPool';
import type { Location } from '../types';
import type { Addr } from '../ip/addr';
import type { KubeVipRange, LbServiceInfo } from './types';
import { perObjectWith } from '../memo';

export interface KubeVipEntry {
  text: string;
  site?: Location;
}

export interface KubeVipValue {
  key: string;
  value: string;
  /** Every comma-separated part, empty ones included (the provider fails on them). */
  entries: KubeVipEntry[];
  site?: Location;
}

export interface KubeVipConfig {
  /** Namespace of the ConfigMap. */
  namespace: string;
  values: Map<string, KubeVipValue>;
  origin?: Location;
}

export interface KubeVipPair {
  key: string;
  value: string;
  /** Location of characters [start, end) of the value, when it is written in a file. */
  siteOf?: (start: number, end: number) => Location;
}

export function kubeVipConfig(namespace: string, pairs: Iterable<KubeVipPair>, origin?: Location): KubeVipConfig {
  const values = new Map<string, KubeVipValue>();
  for (const { key, value, siteOf } of pairs) {
    const entries: KubeVipEntry[] = [];
    let offset = 0;
    for (const text of value.split(',')) {
      entries.push({ text, site: siteOf?.(offset, offset + text.length) });
      offset += text.length + 1;
    }
    values.set(key, { key, value, entries, site: siteOf?.(0, value.length) });
  }
  return { namespace, values, origin };
}

const POOL_KEY = /^(cidr|range)-(.+)$/;

/** One KubeVipRange per non-empty entry of every `cidr-*`/`range-*` key. */
export function rangesOf(c: KubeVipConfig): KubeVipRange[] {
  const out: KubeVipRange[] = [];
  for (const v of c.values.values()) {
    const m = POOL_KEY.exec(v.key);
    if (!m) continue;
    for (const e of v.entries) if (e.text !== '') out.push({ configMapNamespace: c.namespace, key: v.key, scope: m[2]!, entry: e.text, site: e.site });
  }
  return out;
}

export function isPoolKey(key: string): boolean {
  return POOL_KEY.test(key);
}

/** The config the provider reads: the one in kube-system, else the only one known. */
export function activeKubeVip(configs: KubeVipConfig[] | undefined): KubeVipConfig | undefined {
  return configs?.find((c) => c.namespace === 'kube-system') ?? configs?.[0];
}

function lookup(c: KubeVipConfig, name: string, namespace: string): { value: KubeVipValue; global: boolean } | undefined {
  const own = c.values.get(`${name}-${namespace}`);
  if (own) return { value: own, global: false };
  const global = c.values.get(`${name}-global`);
  return global && { value: global, global: true };
}

/** Go strconv.ParseBool's true spellings; anything else (or an error) is false. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

export interface NamespacePool {
  value: KubeVipValue;
  /** From a `*-global` key: in use means any namespace's Services; else only the namespace's own. */
  global: boolean;
  pool: ProviderPool;
}

/** The one pool a namespace's Services draw from, or undefined ("no address pools could be found"). */
export function poolForNamespace(c: KubeVipConfig, namespace: string): NamespacePool | undefined {
  const hit = lookup(c, 'cidr', namespace) ?? lookup(c, 'range', namespace);
  return hit && { ...hit, pool: poolOf(c, hit.value) };
}

export function allowShare(c: KubeVipConfig, namespace: string): boolean {
  return TRUE.has(lookup(c, 'allow-share', namespace)?.value.value ?? '');
}

/** `search-order: desc` and `skip-end-ips-in-cidr: "true"` are global only and compared literally. */
export function options(c: KubeVipConfig): { descending: boolean; skipEndIpsInCidr: boolean } {
  return { descending: c.values.get('search-order')?.value === 'desc', skipEndIpsInCidr: c.values.get('skip-end-ips-in-cidr')?.value === 'true' };
}

const parsed = perObjectWith<KubeVipValue, ProviderPool>();

/** The provider's parse of one value, made once per value (and per `skip-end-ips-in-cidr`). */
export function poolOf(c: KubeVipConfig, v: KubeVipValue): ProviderPool {
  const skip = options(c).skipEndIpsInCidr;
  return parsed(v, [skip], () => providerPool(v.value, skip));
}

/** kube-vip-cloud-provider's sharing rule: IPv4, allow-share for the namespace, ports on both sides and none in common. */
export function mayShare(config: KubeVipConfig | undefined, r: { service: LbServiceInfo; addr: Addr }, other: LbServiceInfo): boolean {
  if (!config || r.addr.family !== 4) return false;
  if (!allowShare(config, r.service.namespace) || !allowShare(config, other.namespace)) return false;
  const mine = r.service.ports ?? [];
  const theirs = other.ports ?? [];
  return mine.length > 0 && theirs.length > 0 && !mine.some((p) => theirs.includes(p));
}
