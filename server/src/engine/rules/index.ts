// The registry: every rule, once, in the order their findings are listed. The rule codes, SARIF's rule
// metadata, README's rule section and the fixes offered all come from this list.
import type { Finding } from '../types';
import type { WorkloadCluster } from '../model/types';
import { perObjectWith } from '../memo';
import type { RuleContext } from './context';
import type { Rule } from './rule';
import { yamlSyntax } from './yamlSyntax';
import { invalidIp } from './invalidIp';
import { missingVip } from './missingVip';
import { vipMismatch } from './vipMismatch';
import { dnsMismatch } from './dnsMismatch';
import { staleCertSan } from './staleCertSan';
import { duplicateIp } from './duplicateIp';
import { ipInUse } from './ipInUse';
import { reservedIp } from './reservedIp';
import { outOfPool } from './outOfPool';
import { lbRangeOverlap } from './lbRangeOverlap';
import { networkOverlap } from './networkOverlap';
import { invalidPool } from './invalidPool';
import { lbIpConflict } from './lbIpConflict';
import { lbIpOutsideRange } from './lbIpOutsideRange';
import { lbRangePoolOverlap } from './lbRangePoolOverlap';
import { invalidLbRange } from './invalidLbRange';
import { renderFailed } from './renderFailed';
import { kubeVipDrift } from './kubeVipDrift';
import { vipInEstate } from './vipInEstate';
import { poolNodeAddress } from './poolNodeAddress';
import { kubeVipNamespaceOverlap } from './kubeVipNamespaceOverlap';
import { serviceIpInEstate } from './serviceIpInEstate';
import { kubeVipRangeOverlap } from './kubeVipRangeOverlap';
import { managementPoolOverlap } from './managementPoolOverlap';

export const RULES = [
  yamlSyntax,
  invalidIp,
  missingVip,
  vipMismatch,
  dnsMismatch,
  staleCertSan,
  duplicateIp,
  ipInUse,
  reservedIp,
  outOfPool,
  lbRangeOverlap,
  networkOverlap,
  invalidPool,
  lbIpConflict,
  lbIpOutsideRange,
  lbRangePoolOverlap,
  invalidLbRange,
  kubeVipDrift,
  vipInEstate,
  poolNodeAddress,
  serviceIpInEstate,
  kubeVipRangeOverlap,
  kubeVipNamespaceOverlap,
  managementPoolOverlap,
  renderFailed,
] as const;

/** Stable rule codes, shown by the CLI and the editor; README has a section per code. */
export type RuleCode = (typeof RULES)[number]['code'];

const BY_CODE: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.code, r]));

/** The rule of a code (undefined for a code of no rule). */
export function ruleOf(code: string): Rule | undefined {
  return BY_CODE.get(code);
}

/** Codes whose findings a new address for the cluster resolves (the allocation quick fixes offer one). */
export const RESOLVED_BY_NEW_ADDRESS: ReadonlySet<string> = new Set(RULES.filter((r) => r.resolvedByNewAddress).map((r) => r.code));

const CLUSTER_RULES = RULES.filter((r) => r.cluster);

/** Each cluster's findings of every per-cluster rule (in CLUSTER_RULES order), kept while the cluster and the inputs are the same. */
const perCluster = perObjectWith<WorkloadCluster, Finding[][]>();

/**
 * Every rule's findings, in registry order. A per-cluster rule's findings depend on one cluster and the
 * inventory only (rule.ts), and an unchanged cluster is the same object in the next analysis, so they are
 * kept per cluster while `inputs` — what else they read: the inventory, live or not, the host-name
 * resolutions — are identical: an edit runs the per-cluster rules of the clusters it changed, and the
 * analysis-wide rules. Their spans follow the document (`finding`), so a kept finding stays exact when
 * text above it changes. The default inputs keep nothing across calls that make a new `resolveHost`.
 */
export function runRules(ctx: RuleContext, inputs: readonly unknown[] = [ctx.inventory, ctx.live, ctx.resolveHost]): Finding[] {
  const kept = ctx.clusters.map((c) => perCluster(c, inputs, () => CLUSTER_RULES.map((r) => r.cluster!(c, ctx))));
  return RULES.flatMap((rule) => {
    if (rule.check) return rule.check(ctx);
    if (!rule.cluster) return []; // an estate rule: its findings are about live objects (rule.estate), none in a file
    const i = CLUSTER_RULES.indexOf(rule);
    return kept.flatMap((k) => k[i]!);
  });
}

/** README's rule sections, one `#### rule-<code>` per rule in registry order (`npm run docs` writes them). */
export function rulesMarkdown(): string {
  return RULES.map((r) => `#### rule-${r.code}\n${r.docs.trim()}\n`).join('\n');
}

export type { RuleContext, FileFacts, RenderFailure } from './context';
export type { Rule, FixContext } from './rule';
