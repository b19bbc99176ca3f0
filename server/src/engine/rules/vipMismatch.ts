// vip-mismatch: the VIP places of one cluster disagree. Host names are compared with host names only
// (dns-mismatch relates them to the IPs).
import { canonical } from '../ip/addr';
import { clusterVip } from '../model/clusterVip';
import type { VipPlace, WorkloadCluster } from '../model/types';
import { agreedValue, agreedVip, byHostname, ipPlaces, isMissingVip } from '../model/vipPlaces';
import { vipEdits } from '../edits';
import { defineRule } from './rule';
import { RELATED_CAP, finding, relatedAt } from './context';

function mismatches(c: WorkloadCluster, valued: VipPlace[]) {
  const key = (v: string) => canonical(v) ?? v;
  if (new Set(valued.map((p) => key(p.value))).size < 2) return [];
  const vip = agreedValue(valued)!;
  const agreeing = valued.filter((p) => key(p.value) === vip);
  return valued
    .filter((p) => key(p.value) !== vip)
    .map((p) =>
      finding(
        'vip-mismatch',
        'error',
        p,
        `VIP mismatch in cluster ${c.namespace}/${c.name}: ${p.label} is "${p.value}", but ${agreeing.length === 1 ? agreeing[0]!.label + ' says' : agreeing.length + ' other places say'} "${vip}".` +
          (p.shadowed ? ' (kube-vip uses `address` here, but this stale vip_address still misleads readers.)' : ''),
        // (at most RELATED_CAP: N disagreeing places of one cluster must not give N × N related entries)
        agreeing.slice(0, RELATED_CAP).map((a) => relatedAt(a, `${a.label}: ${a.value}`)),
      ),
    );
}

export const vipMismatch = defineRule({
  code: 'vip-mismatch',
  severities: ['error'],
  summary: 'The VIP places of one cluster disagree.',
  docs: `**error** — the VIP places of one cluster disagree. The message says which value the other places agree
on; related information points at them. Quick fix: *Make VIP consistent: use X*, rewriting every place in
one edit, across files.`,
  // A place with no VIP yet (`host: "TODO"`) is missing-vip's, not a second finding here.
  cluster: (c) => byHostname(c.places.filter((p) => !isMissingVip(p))).flatMap((group) => mismatches(c, group)),
  // One fix per value: the address the cluster's claim holds first, then the agreed VIP, then every other.
  fixes: (ctx, mine, c) => {
    if (!c || mine.length === 0) return [];
    const claimed = clusterVip(ctx, c).held?.address;
    const values = [...(claimed ? [claimed] : []), agreedVip(c)!, ...new Set(ipPlaces(c).map((p) => p.ip))].filter((v, i, a) => a.indexOf(v) === i);
    return values.map((v, i) => ({
      title: `Make VIP consistent: use ${v}${v === claimed ? ' (its claim holds it)' : ''}`,
      kind: 'quickfix',
      resolves: mine,
      edits: vipEdits(c, v),
      preferred: i === 0,
    }));
  },
});
