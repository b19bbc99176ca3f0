// kube-vip-range-overlap: a workload cluster's kube-vip cloud provider pool (`cidr-*`/`range-*` of its
// `kube-system/kubevip`) can hand out an address that is also another cluster's kube-vip pool, an IPAM
// pool's, inside its own pod or service CIDRs, or a node's address. All clusters share one L2 network,
// so the two holders would answer for one address. One finding per cluster and key, naming the others.
import { type Addr, canonical, formatAddr, parseAddr } from '../ip/addr';
import { parseEntry } from '../ip/entry';
import { handOutCount, nextFree } from '../ip/kubeVipPool';
import { RangeSet } from '../ip/range-set';
import { isPoolKey, poolOf } from '../model/kubeVipConfig';
import { nodeLabel } from '../model/estate';
import type { EstateCluster, Inventory, Owner } from '../model/types';
import { poolLabel } from '../model/pools';
import { someOf } from './context';
import { defineRule } from './rule';
import type { EstateFinding } from './estateIndex';

interface KeySets {
  ec: EstateCluster;
  key: string;
  value: string;
  sets: RangeSet[];
}

function keySets(inventory: Inventory): KeySets[] {
  return inventory.estate.flatMap((ec) => {
    const c = ec.kubeVipConfig;
    if (!c) return [];
    return [...c.values.values()].filter((v) => isPoolKey(v.key)).map((v) => ({ ec, key: v.key, value: v.value, sets: poolOf(c, v).sets }));
  });
}

const cidrSet = (text: string): RangeSet | undefined => {
  const e = parseEntry(text);
  return e.ok ? RangeSet.of(e.value.family, [[e.value.first, e.value.last]]) : undefined;
};

/** The part of `mine` (per family) that `other` also covers, as a count and an example the provider would hand out. */
function common(mine: RangeSet[], other: RangeSet): { n: bigint; sample: string } | undefined {
  const m = mine.find((s) => s.family === other.family);
  if (!m) return undefined;
  const both = m.intersect(other);
  const n = handOutCount(both);
  const v = nextFree(both, RangeSet.empty(both.family));
  return n > 0n && v !== undefined ? { n, sample: formatAddr({ family: both.family, value: v }) } : undefined;
}

export const clusterOwner = (ec: EstateCluster, name = 'kubevip'): Owner => ({
  managementCluster: ec.managementCluster,
  workloadCluster: `${ec.namespace}/${ec.name}`,
  kind: 'ConfigMap',
  namespace: 'kube-system',
  name,
  source: 'workload',
});

function rangeOverlaps(inventory: Inventory): EstateFinding[] {
  const all = keySets(inventory);
  if (all.length === 0) return [];
  const pools = inventory.pools.filter((p) => p.analysis.errors.length === 0);
  const nodes = inventory.nodeAddresses.flatMap((n) => {
    const a = parseAddr(canonical(n.address) ?? '');
    return a.ok ? [{ n, a: a.value as Addr }] : [];
  });
  const out: EstateFinding[] = [];
  for (const k of all) {
    const cluster = `${k.ec.namespace}/${k.ec.name}`;
    const hits: { what: string; owner?: Owner; n: bigint; sample: string }[] = [];
    for (const o of all) {
      if (o.ec === k.ec) continue;
      for (const s of o.sets) {
        const c = common(k.sets, s);
        if (c)
          hits.push({
            what: `${o.key} of cluster ${o.ec.namespace}/${o.ec.name} of management cluster ${o.ec.managementCluster}`,
            owner: clusterOwner(o.ec),
            ...c,
          });
      }
    }
    for (const p of pools) {
      const c = common(k.sets, p.analysis.allocatable);
      if (c)
        hits.push({ what: poolLabel(p) + (p.owner?.managementCluster ? ` of management cluster ${p.owner.managementCluster}` : ''), owner: p.owner, ...c });
    }
    for (const [label, cidrs] of [
      ['pod CIDR', k.ec.podCidrs],
      ['service CIDR', k.ec.serviceCidrs],
    ] as const) {
      for (const text of cidrs) {
        const set = cidrSet(text);
        const c = set && common(k.sets, set);
        if (c) hits.push({ what: `its own ${label} ${text}`, ...c });
      }
    }
    const taken = nodes.filter(({ a }) => k.sets.some((s) => s.family === a.family && s.contains(a.value)));
    if (taken.length)
      hits.push({
        what: `the address of ${someOf(
          taken.map(({ n }) => nodeLabel(n)),
          taken.length,
        )}`,
        owner: taken[0]!.n.owner,
        n: BigInt(taken.length),
        sample: formatAddr(taken[0]!.a),
      });
    if (!hits.length) continue;
    const whats = someOf(
      hits.map((h) => h.what),
      hits.length,
    );
    out.push({
      code: 'kube-vip-range-overlap',
      severity: 'error',
      message: `kube-vip ${k.key} ${k.value} of cluster ${cluster} overlaps ${whats}: e.g. ${hits[0]!.sample} could be handed out twice.`,
      address: k.value,
      subject: clusterOwner(k.ec),
      related: hits.flatMap((h) => (h.owner ? [h.owner] : [])),
    });
  }
  return out;
}

export const kubeVipRangeOverlap = defineRule({
  code: 'kube-vip-range-overlap',
  severities: ['error'],
  summary: "A workload cluster's kube-vip range overlaps another cluster's range, an IPAM pool, its own pod/service CIDRs or node addresses.",
  docs: `**error** — a workload cluster's kube-vip range (its \`kube-system/kubevip\`) can hand out an address that is
also in another cluster's kube-vip range, an IPAM pool of any management cluster, the cluster's own pod or
service CIDRs, or a node's address. One finding per cluster and key, naming what it overlaps and an example
address. The Estate view and \`capi-ipam estate\`.`,
  estate: rangeOverlaps,
});
