// kube-vip-namespace-overlap: a namespace's own kube-vip pool (`cidr-<ns>`/`range-<ns>`) overlaps the
// global one. The cloud provider counts as used only the namespace's own Services for a namespace pool
// and every Service for the global pool, so an address of both can be handed out twice. For the
// workspace's ConfigMap at the key; for a workload cluster's, to the Estate view and the CLI.
import { type KubeVipConfig, isPoolKey, poolForNamespace, poolOf } from '../model/kubeVipConfig';
import type { Inventory } from '../model/types';
import type { Location } from '../types';
import { formatAddr } from '../ip/addr';
import { handOutCount, nextFree } from '../ip/kubeVipPool';
import { RangeSet } from '../ip/range-set';
import { finding } from './context';
import { defineRule } from './rule';
import type { EstateFinding } from './estateIndex';
import { clusterOwner } from './kubeVipRangeOverlap';

interface Hit {
  key: string;
  global: string;
  n: bigint;
  sample: string;
  site?: Location;
}

function hits(c: KubeVipConfig): Hit[] {
  const global = c.values.get('cidr-global') ?? c.values.get('range-global');
  if (!global) return [];
  const globalSets = poolOf(c, global).sets;
  const out: Hit[] = [];
  for (const v of c.values.values()) {
    const ns = /^(?:cidr|range)-(.+)$/.exec(v.key)?.[1];
    if (!isPoolKey(v.key) || !ns || ns === 'global' || poolForNamespace(c, ns)?.value !== v) continue;
    for (const s of poolOf(c, v).sets) {
      const g = globalSets.find((x) => x.family === s.family);
      if (!g) continue;
      const both = s.intersect(g);
      const n = handOutCount(both);
      const first = nextFree(both, RangeSet.empty(both.family));
      if (n > 0n && first !== undefined)
        out.push({ key: v.key, global: global.key, n, sample: formatAddr({ family: both.family, value: first }), site: v.site });
    }
  }
  return out;
}

const text = (h: Hit) =>
  `${h.key} overlaps ${h.global} (${h.n} address(es), e.g. ${h.sample}): the kube-vip cloud provider checks a namespace pool against that namespace's Services only, so it can hand out one address twice.`;

function estateNamespaceOverlap(inventory: Inventory): EstateFinding[] {
  return inventory.estate.flatMap((ec) =>
    ec.kubeVipConfig
      ? hits(ec.kubeVipConfig).map((h) => ({
          code: 'kube-vip-namespace-overlap',
          severity: 'warning' as const,
          message: `cluster ${ec.namespace}/${ec.name}: ${text(h)}`,
          address: h.sample,
          subject: clusterOwner(ec),
          related: [],
        }))
      : [],
  );
}

export const kubeVipNamespaceOverlap = defineRule({
  code: 'kube-vip-namespace-overlap',
  severities: ['warning'],
  summary: "A namespace's kube-vip pool overlaps the global one: the provider can hand out one address twice.",
  docs: `**warning** — a namespace's kube-vip pool (\`cidr-<ns>\`/\`range-<ns>\`) overlaps the global one. The kube-vip
cloud provider counts only the namespace's own Services as used for a namespace pool, so it can hand out one
address of both twice. At the key in a file; for a workload cluster's ConfigMap in the Estate view and
\`capi-ipam estate\`.`,
  check: ({ inventory }) =>
    (inventory.kubeVipConfigs ?? []).flatMap((c) =>
      hits(c).flatMap((h) => (h.site ? [finding('kube-vip-namespace-overlap', 'warning', h.site, text(h))] : [])),
    ),
  estate: estateNamespaceOverlap,
});
