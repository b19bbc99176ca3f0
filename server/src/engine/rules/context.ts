// What every rule reads: the clusters, the (merged) inventory, and helpers over them.
import { canonical, parseAddr } from '../ip/addr';
import { bounded, perObject } from '../memo';
import { derive } from '../yaml/sites';
import { parseEntry } from '../ip/entry';
import { inPoolAddresses } from '../ip/pool';
import type { Finding, Location, RelatedInfo, RuleCode, Severity } from '../types';
import type { Inventory, PoolInfo, VipPlace, WorkloadCluster } from '../model/types';
import type { Resolution } from '../hostnames';

export interface RuleContext {
  clusters: WorkloadCluster[];
  inventory: Inventory;
  /** True when the inventory comes from a live management cluster. */
  live: boolean;
  /** Cached resolution of a host name (undefined: not resolved, or resolving is off). Never waits. */
  resolveHost?: (host: string) => Resolution | undefined;
}

export type Rule = (ctx: RuleContext) => Finding[];

export function finding(code: RuleCode, severity: Severity, at: Location, message: string, related?: RelatedInfo[]): Finding {
  return { code, severity, uri: at.uri, span: at.span, message, ...(related?.length ? { related } : {}) };
}

/** Looks like someone meant an IP (digits and dots, or hex and colons), as opposed to a DNS name. */
export function looksLikeIp(value: string): boolean {
  return /^[0-9.]+$/.test(value) || (value.includes(':') && /^[0-9a-fA-F:.%]+$/.test(value)) || /^\d+\.\d+\.\d+\.\d+/.test(value);
}

/** Values that say "no VIP yet". */
export const PLACEHOLDER = /^(|todo|tbd|changeme|change-me|x\.x\.x\.x|<.*>|0\.0\.0\.0|::)$/i;

/** A DNS name (letters somewhere, RFC 1123 labels), as opposed to an IP or a placeholder. */
export function isHostname(value: string): boolean {
  return (
    /[A-Za-z]/.test(value) &&
    !looksLikeIp(value) &&
    !PLACEHOLDER.test(value) &&
    value.length <= 253 &&
    /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$/.test(value)
  );
}

/** Places whose value is a concrete IP (not empty, not templated). */
export const ipPlaces: (c: WorkloadCluster) => (VipPlace & { ip: string })[] = perObject((c: WorkloadCluster) =>
  c.places.flatMap((p) => {
    if (p.templated || p.value === '') return [];
    const ip = canonical(p.value);
    return ip ? [derive(p, { ip })] : [];
  }),
);

const ROLE_WEIGHT: Record<VipPlace['role'], number> = {
  'cluster-endpoint': 6,
  'infra-endpoint': 5,
  'topology-variable': 4,
  'kcp-endpoint': 3,
  'rke2-registration': 3,
  'talos-endpoint': 3,
  'kube-vip-address': 2,
  'talos-vip': 2,
  'keepalived-vip': 2,
  'kube-vip-vip_address': 1,
};

/**
 * The VIP of a cluster: the value most places agree on (a host name only when no IP is written).
 * Made once per cluster: an unchanged cluster is the same object in the next analysis.
 */
export const agreedVip: (c: WorkloadCluster) => string | undefined = perObject((c: WorkloadCluster) => {
  const [names, others] = byHostname(c.places);
  return agreedValue(others) ?? agreedValue(names);
});

/** The distinct IPs a cluster's places hold. */
export const distinctIps: (c: WorkloadCluster) => ReadonlySet<string> = perObject((c: WorkloadCluster) => new Set(ipPlaces(c).map((p) => p.ip)));

/** Places written as host names, and the others (IPs, placeholders); templated and empty ones are left out. */
export function byHostname(places: VipPlace[]): [VipPlace[], VipPlace[]] {
  const valued = places.filter((p) => p.value !== '' && !p.templated);
  return [valued.filter((p) => isHostname(p.value)), valued.filter((p) => !isHostname(p.value))];
}

/** The value most places agree on; a tie goes to the endpoint over kube-vip. */
export function agreedValue(places: VipPlace[]): string | undefined {
  const score = new Map<string, { n: number; w: number }>();
  for (const p of places) {
    const k = canonical(p.value) ?? p.value;
    const s = score.get(k) ?? { n: 0, w: 0 };
    score.set(k, { n: s.n + 1, w: Math.max(s.w, ROLE_WEIGHT[p.role]) });
  }
  let best: string | undefined;
  let top = { n: 0, w: 0 };
  for (const [k, s] of score) if (s.n > top.n || (s.n === top.n && s.w > top.w)) [best, top] = [k, s];
  return best;
}

export function poolLabel(p: PoolInfo): string {
  return p.namespace ? `${p.kind} ${p.namespace}/${p.name}` : `${p.kind} ${p.name}`;
}

export function poolsHolding(inv: Inventory, ip: string): PoolInfo[] {
  return inv.pools.filter((p) => p.analysis.errors.length === 0 && inPoolAddresses(p.analysis, ip));
}

export function familyOf(ip: string): 4 | 6 | undefined {
  const a = parseAddr(ip);
  return a.ok ? a.value.family : undefined;
}

const entryOf = bounded(10_000, parseEntry);

/** Whether `ip` lies in an entry like the kube-vip provider's (`a-b` or CIDR). Entries are parsed once: rules ask per VIP per range on every keystroke. */
export function inEntry(entry: string, ip: string): boolean {
  const e = entryOf(entry);
  const a = parseAddr(ip);
  return e.ok && a.ok && e.value.family === a.value.family && a.value.value >= e.value.first && a.value.value <= e.value.last;
}

export function related(at: Location | undefined, message: string): RelatedInfo[] {
  return at ? [{ uri: at.uri, span: at.span, message }] : [];
}

/** At most this many other places are named in a finding's related information. */
export const RELATED_CAP = 10;

/** "a, b, c" or "a, b, … and 997 more": never more than RELATED_CAP names. */
export function someOf(names: string[], total: number): string {
  const shown = names.slice(0, RELATED_CAP).join(', ');
  return total > RELATED_CAP ? `${shown} and ${total - RELATED_CAP} more` : shown;
}

/** The places of a cluster that hold one IP: reported once, at `at`, with `others` as related places. */
export interface VipGroup {
  ip: string;
  at: VipPlace & { ip: string };
  others: (VipPlace & { ip: string })[];
}

/** A cluster's IP places grouped by address, each at its most authoritative place (the Cluster's endpoint first). */
export const vipGroups: (c: WorkloadCluster) => VipGroup[] = perObject((c: WorkloadCluster) => {
  const byIp = new Map<string, (VipPlace & { ip: string })[]>();
  for (const p of ipPlaces(c)) byIp.set(p.ip, [...(byIp.get(p.ip) ?? []), p]);
  return [...byIp].map(([ip, places]) => {
    const at = places.reduce((best, p) => (ROLE_WEIGHT[p.role] > ROLE_WEIGHT[best.role] ? p : best));
    return { ip, at, others: places.filter((p) => p !== at) };
  });
});

/** Related information naming a group's other places ("the same problem is written here too"). */
export function alsoAt(g: VipGroup): RelatedInfo[] {
  return g.others.map((p) => ({ uri: p.uri, span: p.span, message: `also ${g.ip} here: ${p.label}` }));
}
