// kube-vip-drift: kube-vip settings kube-vip has moved past. `vip_cidr` was removed in kube-vip
// v1.0.0 (`vip_subnet` replaces it): with a v1 image it is ignored, a warning (an older image still
// reads it: nothing to say). `vip_address` is deprecated (kube-vip v1.2.3 reads `address`): a hint,
// with a rename when it stands instead of `address`.
import type { Finding, Fix } from '../types';
import type { KubeVipContainer, WorkloadCluster } from '../model/types';
import { type Rule, finding } from './context';

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

export const kubeVipDrift: Rule = ({ clusters }) => {
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
};

/** Rename `vip_address` to `address` where it stands instead of `address`. */
export function kubeVipDriftFixes(clusters: WorkloadCluster[], findings: Finding[]): Fix[] {
  const mine = findings.filter((f) => f.code === 'kube-vip-drift' && f.severity === 'hint');
  if (mine.length === 0) return [];
  const fixes: Fix[] = [];
  for (const c of clusters)
    for (const k of kubeVipContainers(c)) {
      if (k.env.some((e) => e.name === 'address')) continue;
      for (const e of k.env.filter((x) => x.name === 'vip_address')) {
        const f = mine.find((x) => x.uri === e.at.uri && x.span.start === e.at.span.start && x.span.end === e.at.span.end);
        if (f && !fixes.some((x) => x.resolves[0] === f))
          fixes.push({ title: 'Rename vip_address to address', kind: 'quickfix', resolves: [f], edits: e.at.rewrite('address'), preferred: true });
      }
    }
  return fixes;
}
