// What every rule reads (`RuleContext`: the clusters, the merged inventory, the files' parse results
// and the failed renders) and the helpers that make findings. Facts about the model that features
// read too live in model/ (vipPlaces.ts, pools.ts).
import type { Finding, Location, RelatedInfo, RuleCode, Severity, Span } from '../types';
import type { Inventory, WorkloadCluster } from '../model/types';
import type { VipGroup } from '../model/vipPlaces';
import type { Resolution } from '../hostnames';

export interface RuleContext {
  clusters: WorkloadCluster[];
  inventory: Inventory;
  /** True when the inventory comes from a live management cluster. */
  live: boolean;
  /** Cached resolution of a host name (undefined: not resolved, or resolving is off). Never waits. */
  resolveHost?: (host: string) => Resolution | undefined;
  /** Every file analysed, with what its parse found wrong. */
  files: FileFacts[];
  /** Charts and overlays that could not be rendered (the language server renders; empty elsewhere). */
  renderFailures: RenderFailure[];
}

/** A file as the parser saw it. */
export interface FileFacts {
  uri: string;
  /** The first syntax error of each document that has one, at its span in the file (template markup is masked first). */
  syntaxErrors: { span: Span; message: string }[];
  /** Set (to the limit in bytes) when the file is too large to be parsed at all. */
  tooLarge?: number;
}

/** A Helm chart or Kustomize overlay that could not be rendered, at its `Chart.yaml` or kustomization file. */
export interface RenderFailure {
  uri: string;
  tool: 'helm' | 'kustomize';
  /** The tool's message. */
  message: string;
}

/**
 * A finding of rule `code`. The code is typed loosely here (the registry derives `RuleCode` from the
 * rule modules, which call this): the fixture tests check that a rule makes findings of its own code
 * and severities only.
 */
export function finding(code: string, severity: Severity, at: Location, message: string, related?: RelatedInfo[]): Finding {
  return {
    code: code as RuleCode,
    severity,
    uri: at.uri,
    // Read through `at` (a site's span is a getter): a per-cluster finding kept for an unchanged cluster
    // (rules/index.ts) follows its document when text above it changes, as the site does.
    get span() {
      return at.span;
    },
    message,
    ...(related?.length ? { related } : {}),
  };
}

/** Related information at `at`, its span read through `at` (see `finding`): never copy a site's span into a finding. */
export function relatedAt(at: Location, message: string): RelatedInfo {
  return {
    uri: at.uri,
    get span() {
      return at.span;
    },
    message,
  };
}

export function related(at: Location | undefined, message: string): RelatedInfo[] {
  return at ? [relatedAt(at, message)] : [];
}

/** At most this many other places are named in a finding's related information. */
export const RELATED_CAP = 10;

/** "a, b, c" or "a, b, … and 997 more": never more than RELATED_CAP names. */
export function someOf(names: string[], total: number): string {
  const shown = names.slice(0, RELATED_CAP).join(', ');
  return total > RELATED_CAP ? `${shown} and ${total - RELATED_CAP} more` : shown;
}

/** Related information naming a group's other places ("the same problem is written here too"). */
export function alsoAt(g: VipGroup): RelatedInfo[] {
  return g.others.map((p) => relatedAt(p, `also ${g.ip} here: ${p.label}`));
}

/** Items by each of their keys (an item under a key once), so that lookups by address stay linear. */
export function indexBy<T>(items: Iterable<T>, keys: (item: T) => (string | undefined)[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const k of new Set(keys(item))) {
      if (!k) continue;
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
  }
  return out;
}

// The model facts rules read, from where they live (kept importable from here for rule authors).
export { looksLikeIp, PLACEHOLDER, isHostname, ipPlaces, agreedVip, distinctIps, byHostname, agreedValue, vipGroups, type VipGroup } from '../model/vipPlaces';
export { poolLabel, validPools, poolsHolding, familyOf, inEntry } from '../model/pools';
