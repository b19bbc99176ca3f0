// All rules, in the order their findings are listed.
import type { Finding } from '../types';
import type { Rule, RuleContext } from './context';
import { dnsMismatch } from './dnsMismatch';
import { duplicateIp } from './duplicateIp';
import { invalidIp } from './invalidIp';
import { invalidLbRange } from './invalidLbRange';
import { invalidPool } from './invalidPool';
import { lbIpConflict } from './lbIpConflict';
import { lbIpOutsideRange } from './lbIpOutsideRange';
import { lbRangePoolOverlap } from './lbRangePoolOverlap';
import { missingVip } from './missingVip';
import { poolMembership } from './poolMembership';
import { staleCertSan } from './staleCertSan';
import { vipMismatch } from './vipMismatch';
import { vipInEstate } from './vipInEstate';
import { poolNodeAddress } from './poolNodeAddress';
import { kubeVipNamespaceOverlap } from './kubeVipNamespaceOverlap';

export const RULES: Rule[] = [
  invalidIp,
  missingVip,
  vipMismatch,
  dnsMismatch,
  staleCertSan,
  duplicateIp,
  poolMembership,
  invalidPool,
  lbIpConflict,
  lbIpOutsideRange,
  lbRangePoolOverlap,
  invalidLbRange,
  vipInEstate,
  poolNodeAddress,
  kubeVipNamespaceOverlap,
];

export function runRules(ctx: RuleContext): Finding[] {
  return RULES.flatMap((rule) => rule(ctx));
}

export type { RuleContext };
