// invalid-lb-range: a `cidr-*`/`range-*` entry of the kubevip ConfigMap the kube-vip cloud provider
// cannot parse, in the provider's own words. One bad entry makes the provider fail the whole pool.
import { isPoolKey, poolOf } from '../model/kubeVipConfig';
import type { Finding } from '../types';
import { type Rule, finding } from './context';

function hint(text: string, mode: string): string {
  if (text !== text.trim()) return ' (the provider does not trim spaces around commas)';
  if (mode === 'cidr' && !text.includes('/')) return " (the value holds a '/', so the provider reads every entry as a CIDR)";
  return '';
}

export const invalidLbRange: Rule = ({ inventory }) => {
  const out: Finding[] = [];
  for (const c of inventory.kubeVipConfigs ?? []) {
    for (const v of c.values.values()) {
      if (!isPoolKey(v.key)) continue;
      const pool = poolOf(c, v);
      const at = (v.value !== '' && v.site) || c.origin;
      if (pool.error && at) out.push(finding('invalid-lb-range', 'error', at, `${v.key}: ${pool.error}`));
      pool.entries.forEach((e, i) => {
        const where = (e.text !== '' && v.entries[i]?.site) || at; // both split the value on every comma
        if (e.error && where) out.push(finding('invalid-lb-range', 'error', where, `${v.key}: ${e.error}${hint(e.text, pool.mode)}`));
      });
    }
  }
  return out;
};
