// kube-vip's cloud provider (kube-vip/kube-vip-cloud-provider v0.0.12) as a controller inside a sandbox:
// LoadBalancer Services without a loadBalancerClass get an address from the `kube-system/kubevip`
// ConfigMap, written as label `implementation: kube-vip`, annotation `kube-vip.io/loadbalancerIPs` and
// `spec.loadBalancerIP`; status.loadBalancer stays empty (that is kube-vip's data plane, not the provider).
// Follows pkg/provider/loadBalancer.go and pkg/ipam: pool key order cidr-<ns>, cidr-global, range-<ns>,
// range-global; a value with "/" is a CIDR list, else a range list; the in-use set is every address of
// Services labelled implementation=kube-vip, across namespaces only for a global pool (so a namespace pool
// can hand out an address a global one already gave); IPv4 addresses ending in .0 or .255 are never given.
// The address arithmetic is this file's own (BigInt), not the engine's: the sandbox must not share the
// code it is used to test.
import { RESOURCES, type ResourceDef } from './kinds';
import type { Operations } from './ops';
import type { Store, StoreEvent } from './store';

export const LB_IPS = 'kube-vip.io/loadbalancerIPs';
export const IMPLEMENTATION = 'implementation';
const SERVICE_INTERFACE = 'kube-vip.io/serviceInterface';
const LEGACY_LABEL = 'ipam-address';

const def = (kind: string): ResourceDef => RESOURCES.find((r) => r.group === '' && r.kind === kind)!;

type Family = 4 | 6;
interface Span {
  family: Family;
  first: bigint;
  last: bigint;
}

function parseIp(s: string): { family: Family; n: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { family: 4, n: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n) };
  }
  if (!s.includes(':') || !/^[0-9a-fA-F:]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0 || [...head, ...tail].some((g) => g.length === 0 || g.length > 4)) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  return { family: 6, n: all.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

function formatIp(family: Family, n: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups = [...Array(8).keys()].map((i) => ((n >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  // The longest run of zero groups (two or more) becomes "::", as Go's net/netip prints it.
  let best = -1;
  let len = 0;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > len && j - i >= 2) [best, len] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + len).join(':')}`;
}

/** The spans of a pool value (comma list, no trimming, like the provider); undefined when one entry is malformed. */
export function parsePool(value: string): Span[] | undefined {
  const spans: Span[] = [];
  const cidr = value.includes('/');
  for (const entry of value.split(',')) {
    if (cidr) {
      const [ip, bits] = entry.split('/');
      const a = parseIp(ip ?? '');
      const width = a?.family === 4 ? 32 : 128;
      const p = Number(bits);
      if (!a || !/^\d+$/.test(bits ?? '') || p > width) return undefined;
      const host = (1n << BigInt(width - p)) - 1n;
      spans.push({ family: a.family, first: a.n & ~host, last: (a.n & ~host) | host });
    } else {
      const [from, to, extra] = entry.split('-');
      const a = parseIp(from ?? '');
      const b = parseIp(to ?? '');
      if (extra !== undefined || !a || !b || a.family !== b.family || b.n < a.n) return undefined;
      spans.push({ family: a.family, first: a.n, last: b.n });
    }
  }
  return merge(spans);
}

function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((x, y) => x.family - y.family || (x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
  const out: Span[] = [];
  for (const s of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.family === s.family && s.first <= prev.last + 1n) prev.last = s.last > prev.last ? s.last : prev.last;
    else out.push({ ...s });
  }
  return out;
}

export interface PoolChoice {
  value: string;
  global: boolean;
  cidr: boolean;
}

/** The pool of a namespace: cidr-<ns>, cidr-global, range-<ns>, range-global, the first key present. */
export function poolFor(data: Record<string, string>, ns: string): PoolChoice | undefined {
  for (const [key, global] of [
    [`cidr-${ns}`, false],
    ['cidr-global', true],
    [`range-${ns}`, false],
    ['range-global', true],
  ] as const) {
    const value = data[key];
    if (value !== undefined) return { value, global, cidr: value.includes('/') };
  }
  return undefined;
}

/** The first free address of the family, ascending (or descending), skipping IPv4 .0 and .255. */
export function pick(spans: Span[], family: Family, inUse: Set<string>, opts: { desc?: boolean; skipEnds?: boolean } = {}): string | undefined {
  const mine = spans.filter((s) => s.family === family);
  if (opts.desc) mine.reverse();
  for (const s of mine) {
    let [lo, hi] = [s.first, s.last];
    if (opts.skipEnds && family === 4 && hi - lo >= 2n) [lo, hi] = [lo + 1n, hi - 1n];
    // Bounded: at most the in-use set plus the skipped octets are stepped over before a free address.
    for (let n = opts.desc ? hi : lo; opts.desc ? n >= lo : n <= hi; n += opts.desc ? -1n : 1n) {
      const ip = formatIp(family, n);
      if (family === 4 && ((n & 255n) === 0n || (n & 255n) === 255n)) continue;
      if (!inUse.has(ip)) return ip;
    }
  }
  return undefined;
}

/** The controller: reconciles LoadBalancer Services on their own changes and on changes of the ConfigMap. */
export class KubeVipCloudProvider {
  private unsubscribe?: () => void;
  private busy = false;

  constructor(
    private readonly store: Store,
    private readonly ops: Operations,
    private readonly namespace = 'kube-system',
    private readonly name = 'kubevip',
  ) {}

  start(): void {
    // Like the provider: an absent ConfigMap is created empty (allocations then fail until it has pools).
    if (!this.store.get(def('ConfigMap'), this.namespace, this.name)) {
      this.ops.create(def('ConfigMap'), 'v1', this.namespace, { metadata: { name: this.name, namespace: this.namespace } });
    }
    this.unsubscribe = this.store.subscribe((ev) => this.onEvent(ev));
    this.syncAll();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private onEvent(ev: StoreEvent): void {
    if (ev.type === 'DELETED' || this.busy) return;
    const cm = ev.def.kind === 'ConfigMap' && ev.obj.metadata?.namespace === this.namespace && ev.obj.metadata?.name === this.name;
    if (cm || ev.def.kind === 'Service') queueMicrotask(() => this.syncAll());
  }

  /** Every LoadBalancer Service that still lacks its label or address, in list order (the provider's workqueue is FIFO too). */
  private syncAll(): void {
    if (!this.unsubscribe) return;
    this.busy = true;
    try {
      for (const svc of this.store.list(def('Service'))) this.sync(svc);
    } finally {
      this.busy = false;
    }
  }

  private sync(svc: Record<string, any>): void {
    const spec = svc.spec ?? {};
    if (spec.type !== 'LoadBalancer' || spec.loadBalancerClass || svc.metadata?.deletionTimestamp) return;
    const meta = svc.metadata;
    const labels: Record<string, string> = { ...(meta.labels ?? {}) };
    const annotations: Record<string, string> = { ...(meta.annotations ?? {}) };
    if (annotations[LB_IPS] !== undefined) {
      if (labels[IMPLEMENTATION] === 'kube-vip') return;
      return this.write(svc, { ...labels, [IMPLEMENTATION]: 'kube-vip' }, annotations, spec.loadBalancerIP);
    }
    if (spec.loadBalancerIP) {
      delete labels[LEGACY_LABEL];
      return this.write(svc, { ...labels, [IMPLEMENTATION]: 'kube-vip' }, { ...annotations, [LB_IPS]: spec.loadBalancerIP }, spec.loadBalancerIP);
    }
    const data: Record<string, string> = this.store.get(def('ConfigMap'), this.namespace, this.name)?.data ?? {};
    const ns = String(meta.namespace);
    const pool = poolFor(data, ns);
    const spans = pool && parsePool(pool.value);
    if (!pool || !spans) return; // "no address pools could be found": retried on the next change
    const inUse = this.inUse(pool.global ? undefined : ns);
    if (!inUse) return;
    const family: Family = (spec.ipFamilies?.[0] ?? 'IPv4') === 'IPv6' ? 6 : 4;
    const ip = pick(spans, family, inUse, {
      desc: pool.global && data['search-order'] === 'desc',
      skipEnds: pool.global && pool.cidr && data['skip-end-ips-in-cidr'] === 'true',
    });
    if (!ip) return;
    const iface = data[`interface-${ns}`] ?? data['interface-global'];
    this.write(svc, { ...labels, [IMPLEMENTATION]: 'kube-vip' }, { ...annotations, [LB_IPS]: ip, ...(iface ? { [SERVICE_INTERFACE]: iface } : {}) }, ip);
  }

  /** Addresses held by kube-vip Services (of one namespace, or all); undefined when one is malformed (allocation blocks). */
  private inUse(ns: string | undefined): Set<string> | undefined {
    const out = new Set<string>();
    for (const s of this.store.list(def('Service'), ns)) {
      if (s.metadata?.labels?.[IMPLEMENTATION] !== 'kube-vip') continue;
      const v = s.metadata?.annotations?.[LB_IPS];
      if (v === undefined || v === '') continue;
      for (const ip of String(v).split(',')) {
        const p = parseIp(ip);
        if (!p) return undefined;
        out.add(formatIp(p.family, p.n));
      }
    }
    return out;
  }

  private write(svc: Record<string, any>, labels: Record<string, string>, annotations: Record<string, string>, lbIp: string | undefined): void {
    const body = { ...svc, metadata: { ...svc.metadata, labels, annotations }, spec: { ...svc.spec, ...(lbIp ? { loadBalancerIP: lbIp } : {}) } };
    this.ops.update(def('Service'), 'v1', svc.metadata.namespace, svc.metadata.name, body);
  }
}
