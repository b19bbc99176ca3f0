// The shape of a rule: one module per code (rules/<code in camelCase>.ts), listed once in
// rules/index.ts. Everything else about a rule — the `RuleCode` union, SARIF's rule metadata, the
// README's rule section (`npm run docs`), which fixes apply — is derived from this object.
import type { Finding, Fix, Severity } from '../types';
import type { Inventory, WorkloadCluster } from '../model/types';
import type { RuleContext } from './context';
import type { EstateFinding } from './estateIndex';

/** What a rule's fixes read. */
export interface FixContext {
  clusters: WorkloadCluster[];
  inventory: Inventory;
  live: boolean;
  /** `capiIpam.defaultPool`: offered first when a cluster names no pool. */
  defaultPool: string;
  /** Every finding of the cluster the fixes are asked for (of the analysis, for a rule without `cluster`). */
  findings: Finding[];
}

interface RuleInfo<C extends string> {
  /** The stable code shown by the editor and the CLI; README's section is `#### rule-<code>`. */
  code: C;
  /** The severities its findings may have, most severe first. */
  severities: readonly Severity[];
  /** One line: SARIF's shortDescription. */
  summary: string;
  /** Markdown, the body of README's `#### rule-<code>` section (generated: `npm run docs`). */
  docs: string;
  /** Quick fixes for `mine`, this rule's findings (of `cluster`, for a per-cluster rule). */
  fixes?: (ctx: FixContext, mine: Finding[], cluster?: WorkloadCluster) => Fix[];
  /** A new address for the cluster resolves it: the allocation quick fixes ("Allocate IP from pool …") are offered. */
  resolvedByNewAddress?: true;
  /**
   * Findings about live objects alone (issue 22): no workspace file holds the address, so they go to the
   * Estate view and the CLI, never to a file. `inFiles`: "namespace/name" of the clusters files hold.
   */
  estate?: (inventory: Inventory, inFiles: ReadonlySet<string>) => EstateFinding[];
}

/** Findings that depend on one cluster and the inventory only (the runner may cache them per cluster). */
interface ClusterRule<C extends string> extends RuleInfo<C> {
  cluster: (c: WorkloadCluster, ctx: RuleContext) => Finding[];
  check?: never;
}

/** Findings over the whole analysis (cross-cluster indexes, pools, Services, files). */
interface AnalysisRule<C extends string> extends RuleInfo<C> {
  check: (ctx: RuleContext) => Finding[];
  cluster?: never;
}

/** Findings about live objects alone (its `estate` hook): none in a file. */
interface EstateRule<C extends string> extends RuleInfo<C> {
  estate: NonNullable<RuleInfo<C>['estate']>;
  check?: never;
  cluster?: never;
}

export type Rule<C extends string = string> = ClusterRule<C> | AnalysisRule<C> | EstateRule<C>;

export function defineRule<const C extends string>(rule: Rule<C>): Rule<C> {
  return rule;
}

/** A rule's findings over the analysis. */
export function runRule(rule: Rule, ctx: RuleContext): Finding[] {
  if (rule.check) return rule.check(ctx);
  return rule.cluster ? ctx.clusters.flatMap((c) => rule.cluster!(c, ctx)) : [];
}
