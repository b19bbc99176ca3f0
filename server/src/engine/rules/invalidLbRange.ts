// invalid-lb-range: a `cidr-*`/`range-*` entry of the kubevip ConfigMap the kube-vip cloud provider
// cannot parse, in the provider's own words. One bad entry makes the provider fail the whole pool.
import { isPoolKey, poolOf } from '../model/kubeVipConfig';
import type { Finding } from '../types';
import { finding } from './context';
import { defineRule } from './rule';

function hint(text: string, mode: string): string {
  if (text !== text.trim()) return ' (the provider does not trim spaces around commas)';
  if (mode === 'cidr' && !text.includes('/')) return " (the value holds a '/', so the provider reads every entry as a CIDR)";
  return '';
}

export const invalidLbRange = defineRule({
  code: 'invalid-lb-range',
  severities: ['error'],
  summary: 'A kube-vip cidr-*/range-* entry the kube-vip cloud provider cannot parse.',
  docs: `**error** — a \`cidr-*\`/\`range-*\` value the kube-vip cloud provider cannot parse, with its own message
(\`netip.ParsePrefix(" 10.0.1.0/30"): ParseAddr(" 10.0.1.0"): unexpected character (at " 10.0.1.0")\`): it
does not trim spaces after commas, reads the whole value as CIDRs as soon as it holds a \`/\`, and fails the
whole pool on one bad entry.`,
  check: ({ inventory }) => {
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
  },
});
