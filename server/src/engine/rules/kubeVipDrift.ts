// kube-vip-drift: kube-vip settings kube-vip has moved past. `vip_cidr` was removed in kube-vip
// v1.0.0 (`vip_subnet` replaces it): with a v1 image it is ignored, a warning (an older image still
// reads it: nothing to say). `vip_address` is deprecated (kube-vip v1.2.3 reads `address`): a hint,
// with a rename when it stands instead of `address`.
import type { Finding, Fix } from '../types';
import type { KubeVipContainer, WorkloadCluster } from '../model/types';
import { finding } from './context';
import { defineRule } from './rule';

/** The kube-vip containers of a cluster's places, each once. */
export function kubeVipContainers(c: WorkloadCluster): KubeVipContainer[] {
  return [...new Set(c.places.flatMap((p) => (p.kubeVip ? [p.kubeVip] : [])))];
}

/** `ghcr.io/kube-vip/kube-vip:v0.6.4` → [0, 6, 4]; 'untagged' for no tag or `latest`; undefined when not known (templated, other tags). */
export function imageVersion(image: string): [number, number, number] | 'untagged' | undefined {
  const name = image.split('@')[0]!;
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : '';
  if (tag === '' || tag === 'latest') return 'untagged';
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(tag);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function driftOf(k: KubeVipContainer): Finding[] {
  const out: Finding[] = [];
  const named = (n: string) => k.env.filter((e) => e.name === n && !e.at.templated);
  const image = k.image && !k.image.templated ? k.image.value : undefined;
  const version = image === undefined ? undefined : imageVersion(image);
  for (const e of named('vip_cidr')) {
    if (version === undefined || (version !== 'untagged' && version[0] < 1)) continue;
    const which = version === 'untagged' ? `this image (${image}) has no version tag, so it runs the latest` : `this image is v${version.join('.')}`;
    out.push(
      finding('kube-vip-drift', 'warning', e.at, `kube-vip env vip_cidr was removed in kube-vip v1.0.0 and ${which}: it is ignored; vip_subnet replaces it.`),
    );
  }
  const beside = named('address').length > 0;
  for (const e of named('vip_address'))
    out.push(
      finding(
        'kube-vip-drift',
        'hint',
        e.at,
        beside
          ? 'kube-vip env vip_address is deprecated (kube-vip v1.2.3) and kube-vip reads address here: this vip_address can go.'
          : 'kube-vip env vip_address is deprecated (kube-vip v1.2.3 reads address): rename it to address.',
      ),
    );
  return out;
}

/** Rename `vip_address` to `address` where it stands instead of `address`. */
function renames(clusters: WorkloadCluster[], mine: Finding[]): Fix[] {
  const hints = mine.filter((f) => f.severity === 'hint');
  const fixes: Fix[] = [];
  for (const c of hints.length ? clusters : [])
    for (const k of kubeVipContainers(c)) {
      if (k.env.some((e) => e.name === 'address')) continue;
      for (const e of k.env.filter((x) => x.name === 'vip_address')) {
        const f = hints.find((x) => x.uri === e.at.uri && x.span.start === e.at.span.start && x.span.end === e.at.span.end);
        if (f && !fixes.some((x) => x.resolves[0] === f))
          fixes.push({ title: 'Rename vip_address to address', kind: 'quickfix', resolves: [f], edits: e.at.rewrite('address'), preferred: true });
      }
    }
  return fixes;
}

export const kubeVipDrift = defineRule({
  code: 'kube-vip-drift',
  severities: ['warning', 'hint'],
  summary: 'A kube-vip setting kube-vip has moved past: vip_cidr (removed in v1.0.0), vip_address (deprecated).',
  docs: `**warning/hint** — kube-vip settings that kube-vip has moved past, in any kube-vip manifest read (a static pod
or DaemonSet in a control plane's files, a Secret, a ClusterResourceSet's ConfigMap or Secret, a topology variable).
**warning**: env \`vip_cidr\` with a kube-vip image of v1.0.0 or later (or an image without a version tag): kube-vip
removed it in v1.0.0 and ignores it; \`vip_subnet\` replaces it. An older image still reads it: nothing is said
(CAPV's templates ship \`vip_cidr\` with v0.6.4). **hint**: env \`vip_address\`, deprecated (kube-vip v1.2.3 reads
\`address\`); where it stands instead of \`address\` the quick fix *Rename vip_address to address* renames it, beside
\`address\` it can go (kube-vip reads \`address\`; a value that disagrees is also a \`vip-mismatch\`). A manifest shared
by several clusters is reported once.`,
  check: ({ clusters }) => {
    // A manifest shared by clusters (a ClusterResourceSet's, a Secret's) is reported once.
    const seen = new Set<string>();
    return clusters.flatMap((c) =>
      kubeVipContainers(c)
        .flatMap(driftOf)
        .filter((f) => {
          const key = `${f.uri}\u0000${f.span.start}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        }),
    );
  },
  fixes: ({ clusters }, mine) => renames(clusters, mine),
});
