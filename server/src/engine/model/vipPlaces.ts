// Facts about a cluster's VIP places that the rules, the fixes and the features all read: which places
// hold an IP, the VIP they agree on, and the places grouped by address. Made once per cluster (an
// unchanged cluster is the same object in the next analysis).
import { canonical } from '../ip/addr';
import { perObject } from '../memo';
import { derive } from '../yaml/sites';
import type { VipPlace, WorkloadCluster } from './types';

/** Looks like someone meant an IP (digits and dots, or hex and colons), as opposed to a DNS name. */
export function looksLikeIp(value: string): boolean {
  return /^[0-9.]+$/.test(value) || (value.includes(':') && /^[0-9a-fA-F:.%]+$/.test(value)) || /^\d+\.\d+\.\d+\.\d+/.test(value);
}

/** Values that say "no VIP yet". */
export const PLACEHOLDER = /^(|todo|tbd|changeme|change-me|x\.x\.x\.x|<.*>|0\.0\.0\.0|::)$/i;

/**
 * An endpoint place with no VIP yet — empty, a placeholder (`TODO`) or a template: missing-vip reports
 * it, and no other rule compares it with the VIP.
 */
export function isMissingVip(p: VipPlace): boolean {
  return (p.role === 'cluster-endpoint' || p.role === 'infra-endpoint' || p.role === 'topology-variable') && (p.templated || PLACEHOLDER.test(p.value.trim()));
}

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

const ENDPOINT_ROLES = new Set<VipPlace['role']>([
  'cluster-endpoint',
  'infra-endpoint',
  'kcp-endpoint',
  'topology-variable',
  'rke2-registration',
  'talos-endpoint',
]);

/** What holds the VIP on the control-plane nodes: kube-vip, Talos, keepalived (what an endpoint's name must resolve to). */
export const HOLDER_ROLES: ReadonlySet<VipPlace['role']> = new Set<VipPlace['role']>([
  'kube-vip-address',
  'kube-vip-vip_address',
  'talos-vip',
  'keepalived-vip',
]);

/** Endpoint places written as a host name. */
export function hostnamePlaces(c: WorkloadCluster): VipPlace[] {
  return c.places.filter((p) => ENDPOINT_ROLES.has(p.role) && !p.templated && isHostname(p.value));
}
