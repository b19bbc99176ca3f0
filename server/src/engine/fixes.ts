// Quick fixes offered for findings: make the VIP consistent, replace a stale certSAN, and (offline)
// use the next free address of a workspace pool, which nothing reserves.
import { canonical } from './ip/addr';
import type { Family } from './ip/addr';
import { nextFree, usedSet } from './ip/pool';
import type { RangeSet } from './ip/range-set';
import { rankPools, roleSuffix } from './ranking';
import type { Finding, Fix } from './types';
import type { Inventory, WorkloadCluster } from './model/types';
import { agreedVip, ipPlaces } from './rules/context';
import { vipEdits } from './edits';
import { clusterVip } from './model/clusterVip';
import { perObject } from './memo';

/** Each target cluster's findings (at its places and certSANs), in the order of `findings`: one pass. */
function findingsOf(targets: WorkloadCluster[], findings: Finding[]): Map<WorkloadCluster, Finding[]> {
  const sites = new Map<number, { c: WorkloadCluster; uri: string; end?: number }[]>();
  const add = (start: number, site: { c: WorkloadCluster; uri: string; end?: number }) => sites.set(start, [...(sites.get(start) ?? []), site]);
  for (const c of targets) {
    for (const p of c.places) add(p.span.start, { c, uri: p.uri, end: p.span.end });
    for (const s of c.certSans?.items ?? []) add(s.span.start, { c, uri: s.uri });
  }
  const out = new Map<WorkloadCluster, Finding[]>(targets.map((c) => [c, []]));
  for (const f of findings) {
    const here = sites.get(f.span.start);
    if (!here) continue;
    const hits = new Set(here.filter((s) => s.uri === f.uri && (s.end === undefined || s.end === f.span.end)).map((s) => s.c));
    for (const c of hits) out.get(c)!.push(f);
  }
  return out;
}

/** Used addresses per family, parsed once per inventory (each analysis has its own). */
const usedByFamily = perObject((_inventory: Inventory) => new Map<Family, RangeSet>());

function usedIn(clusters: WorkloadCluster[], inventory: Inventory, family: Family): RangeSet {
  const byFamily = usedByFamily(inventory);
  let set = byFamily.get(family);
  if (!set) byFamily.set(family, (set = usedSet(family, usedAddresses(clusters, inventory))));
  return set;
}

/** Findings that a new address for the cluster resolves (offered by the allocation fixes). */
export const NEEDS_NEW_ADDRESS: ReadonlySet<string> = new Set([
  'missing-vip',
  'out-of-pool',
  'duplicate-ip',
  'ip-in-use',
  'reserved-ip',
  'lb-range-overlap',
  'network-overlap',
]);

/** Every address the workspace (and live inventory) already uses: VIPs, IPAddresses, Service IPs. */
export function usedAddresses(clusters: WorkloadCluster[], inventory: Inventory): string[] {
  const used = new Set<string>();
  for (const c of clusters) for (const p of ipPlaces(c)) used.add(p.ip);
  for (const a of inventory.addresses) used.add(canonical(a.address) ?? a.address);
  for (const s of inventory.services) for (const ip of s.ips) used.add(canonical(ip.value) ?? ip.value);
  for (const e of inventory.endpoints) used.add(canonical(e.host) ?? e.host);
  return [...used];
}

/**
 * Fixes for the findings of `targets` (default: every cluster), plus the pools' own fixes; linear in
 * clusters and findings.
 */
export function fixesFor(clusters: WorkloadCluster[], inventory: Inventory, findings: Finding[], live: boolean, targets = clusters, defaultPool = ''): Fix[] {
  const fixes: Fix[] = [...poolFixes(inventory, findings)];
  const mineOf = findingsOf(targets, findings);
  for (const c of targets) {
    const mine = mineOf.get(c)!;
    // The address the cluster's claim already holds comes first: a cleared place gets it back.
    const held = clusterVip({ inventory }, c).held;
    const claimed = held?.address;
    const mismatch = mine.filter((f) => f.code === 'vip-mismatch');
    if (mismatch.length) {
      const vip = agreedVip(c)!;
      const values = [...(claimed ? [claimed] : []), vip, ...new Set(ipPlaces(c).map((p) => p.ip))].filter((v, i, a) => a.indexOf(v) === i);
      values.forEach((v, i) =>
        fixes.push({
          title: `Make VIP consistent: use ${v}${v === claimed ? ' (its claim holds it)' : ''}`,
          kind: 'quickfix',
          resolves: mismatch,
          edits: vipEdits(c, v),
          preferred: i === 0,
        }),
      );
    }
    const missing = mine.filter((f) => f.code === 'missing-vip');
    if (held && missing.length && !mismatch.length) {
      fixes.push({
        title: `Use ${held.address}, the address IPAddressClaim ${held.namespace}/${held.name} holds`,
        kind: 'quickfix',
        resolves: missing,
        edits: vipEdits(c, held.address),
        preferred: true,
      });
    }
    const vip = agreedVip(c);
    for (const f of mine.filter((x) => x.code === 'stale-certsan')) {
      const site = c.certSans!.items.find((s) => s.uri === f.uri && s.span.start === f.span.start)!;
      if (vip)
        fixes.push({
          title: `Replace stale certSAN ${site.value} with the VIP ${vip}`,
          kind: 'quickfix',
          resolves: [f],
          edits: site.rewrite(vip),
          preferred: true,
        });
    }
    const needsAddress = mine.filter((f) => NEEDS_NEW_ADDRESS.has(f.code));
    if (!live && needsAddress.length) {
      for (const { pool: p, role } of rankPools({ inventory, clusters }, c, { defaultPool, from: 'workspace' })) {
        const [ip] = p.analysis.family ? nextFree(p.analysis, usedIn(clusters, inventory, p.analysis.family), 1) : [];
        if (!ip) continue;
        fixes.push({
          title: `Use next free address of pool ${p.name}: ${ip} (not reserved${roleSuffix(role)})`,
          kind: 'quickfix',
          resolves: needsAddress,
          edits: vipEdits(c, ip),
          preferred: false,
        });
      }
    }
  }
  return fixes;
}

/** `excludeAddresses` → `excludedAddresses` (unless the right key is there too: a rename would duplicate it). */
function poolFixes(inventory: Inventory, findings: Finding[]): Fix[] {
  const out: Fix[] = [];
  for (const p of inventory.declaredPools ?? inventory.pools) {
    const typo = p.origin?.excludeTypo;
    if (!typo || p.origin!.excludedKey) continue;
    const at = findings.filter((f) => f.code === 'invalid-pool' && f.uri === p.origin!.uri && f.span.start === typo.start && f.span.end === typo.end);
    if (at.length)
      out.push({
        title: 'Rename to `excludedAddresses`',
        kind: 'quickfix',
        resolves: at,
        edits: [{ uri: p.origin!.uri, span: typo, newText: 'excludedAddresses' }],
        preferred: true,
      });
  }
  return out;
}
