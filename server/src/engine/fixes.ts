// Quick fixes offered for findings: each rule's own (rules/<rule>.ts `fixes`), and (offline) the next
// free address of a workspace pool, which nothing reserves, for every finding a new address resolves.
import { canonical } from './ip/addr';
import type { Family } from './ip/addr';
import { nextFree, usedSet } from './ip/pool';
import type { RangeSet } from './ip/range-set';
import { rankPools, roleSuffix } from './ranking';
import type { Finding, Fix } from './types';
import type { Inventory, WorkloadCluster } from './model/types';
import { ipPlaces } from './model/vipPlaces';
import { RESOLVED_BY_NEW_ADDRESS, RULES } from './rules/index';
import type { FixContext } from './rules/rule';
import { vipEdits } from './edits';
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

/** Every address the workspace (and live inventory) already uses: VIPs, IPAddresses, Service IPs. */
export function usedAddresses(clusters: WorkloadCluster[], inventory: Inventory): string[] {
  const used = new Set<string>();
  for (const c of clusters) for (const p of ipPlaces(c)) used.add(p.ip);
  for (const a of inventory.addresses) used.add(canonical(a.address) ?? a.address);
  for (const s of inventory.services) for (const ip of s.ips) used.add(canonical(ip.value) ?? ip.value);
  for (const e of inventory.endpoints) used.add(canonical(e.host) ?? e.host);
  return [...used];
}

const ofCode = (findings: Finding[], code: string) => findings.filter((f) => f.code === code);

/**
 * Fixes for the findings of `targets` (default: every cluster), plus those of the rules over the whole
 * analysis (pools); linear in clusters and findings.
 */
export function fixesFor(clusters: WorkloadCluster[], inventory: Inventory, findings: Finding[], live: boolean, targets = clusters, defaultPool = ''): Fix[] {
  const ctx: FixContext = { clusters, inventory, live, defaultPool, findings };
  const fixes: Fix[] = RULES.flatMap((r) => (r.check && r.fixes ? r.fixes(ctx, ofCode(findings, r.code)) : []));
  const mineOf = findingsOf(targets, findings);
  for (const c of targets) {
    const mine = mineOf.get(c)!;
    const own: FixContext = { ...ctx, findings: mine };
    for (const r of RULES) if (r.cluster && r.fixes) fixes.push(...r.fixes(own, ofCode(mine, r.code), c));
    const needsAddress = mine.filter((f) => RESOLVED_BY_NEW_ADDRESS.has(f.code));
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
