// vip-mismatch: the VIP places of one cluster disagree.
import { canonical } from '../ip/addr';
import type { VipPlace, WorkloadCluster } from '../model/types';
import { type Rule, agreedValue, byHostname, finding } from './context';

// Host names are compared with host names only (dns-mismatch relates them to the IPs).
export const vipMismatch: Rule = ({ clusters }) => clusters.flatMap((c) => byHostname(c.places).flatMap((group) => mismatches(c, group)));

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
        agreeing.map((a) => ({ uri: a.uri, span: a.span, message: `${a.label}: ${a.value}` })),
      ),
    );
}
