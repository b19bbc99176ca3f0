// The registry: every rule, once, in the order their findings are listed. The rule codes, SARIF's rule
// metadata, README's rule section and the fixes offered all come from this list.
import type { Finding } from '../types';
import type { RuleContext } from './context';
import { type Rule, runRule } from './rule';
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
  renderFailed,
  vipInEstate,
  poolNodeAddress,
  kubeVipNamespaceOverlap,
  serviceIpInEstate,
  kubeVipRangeOverlap,
  managementPoolOverlap,
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

export function runRules(ctx: RuleContext): Finding[] {
  return RULES.flatMap((rule) => runRule(rule, ctx));
}

/** README's rule sections, one `#### rule-<code>` per rule in registry order (`npm run docs` writes them). */
export function rulesMarkdown(): string {
  return RULES.map((r) => `#### rule-${r.code}\n${r.docs.trim()}\n`).join('\n');
}

export type { RuleContext, FileFacts, RenderFailure } from './context';
export type { Rule, FixContext } from './rule';
