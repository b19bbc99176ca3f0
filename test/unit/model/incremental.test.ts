// Differential test of the incremental engine: a host that has taken a long run of seeded random edits
// answers exactly as a fresh host given only the final texts — findings (code, severity, span, message,
// related places), every cluster's places and certSANs, and hover at the edited offset. Edits include
// lone `\r` and `\r\n`, `---` separators (also at the end of a file), edits inside the kube-vip manifest
// embedded in a KubeadmControlPlane and inside `${VAR}` / `{{ }}` templates.
// CAPI_IPAM_DIFF_EDITS=N runs N edits (default 10,000); CAPI_IPAM_DIFF_SEED=S another seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisHost, type Snapshot } from '../../../server/src/engine/index';

const EDITS = Number(process.env.CAPI_IPAM_DIFF_EDITS ?? 10_000);
const SEED = Number(process.env.CAPI_IPAM_DIFF_SEED ?? 20);

/** mulberry32: a small seeded generator, so that a failure is reproduced by its seed and edit number. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POOL = `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: InClusterIPPool
metadata:
  name: vips
  namespace: default
spec:
  addresses: ["10.100.0.2-10.100.0.50"]
  prefix: 24
  gateway: 10.100.0.1
`;

/** A CAPV cluster with every VIP place: Cluster, VSphereCluster, and a KCP embedding a kube-vip manifest and a certSAN. */
const cluster = (name: string, vip: string) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: ${name}
  namespace: default
spec:
  controlPlaneEndpoint: {host: ${vip}, port: 6443}
  infrastructureRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta1, kind: VSphereCluster, name: ${name}}
  controlPlaneRef: {apiVersion: controlplane.cluster.x-k8s.io/v1beta1, kind: KubeadmControlPlane, name: ${name}}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata:
  name: ${name}
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ${vip}
    port: 6443
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: ${name}
  namespace: default
spec:
  kubeadmConfigSpec:
    clusterConfiguration:
      apiServer:
        certSANs: [${vip}]
    files:
    - path: /etc/kubernetes/manifests/kube-vip.yaml
      content: |
        apiVersion: v1
        kind: Pod
        metadata: {name: kube-vip, namespace: kube-system}
        spec:
          containers:
          - name: kube-vip
            env:
            - name: address
              value: ${vip}
`;

const ADDRESS = `apiVersion: ipam.cluster.x-k8s.io/v1beta1
kind: IPAddress
metadata:
  name: other
  namespace: default
spec:
  address: 10.100.0.2
  prefix: 24
  poolRef: {apiGroup: ipam.cluster.x-k8s.io, kind: InClusterIPPool, name: vips}
  claimRef: {name: other}
`;

// Two files: a pool, a cluster, one with a templated VIP and a pool below them (its positions move with
// edits above it); a cluster sharing the first one's VIP and an IPAddress holding it.
const FILES: Record<string, string> = {
  'file:///w/a.yaml': POOL + '---\n' + cluster('c1', '10.100.0.2') + '---\n' + cluster('c2', '${CLUSTER_VIP}') + '---\n' + POOL.replaceAll('vips', 'more'),
  'file:///w/b.yaml': cluster('c3', '10.100.0.2') + '---\n' + ADDRESS,
};

const SNIPPETS = [
  '\r',
  '\n',
  '\r\n',
  '---\n',
  '---',
  '\n---\n',
  ' ',
  '  ',
  'x',
  ':',
  '- ',
  '"',
  '#',
  '${VIP}',
  '{{ .Values.vip }}',
  '{{',
  '}}',
  '10.100.0.2',
  '10.100.0.',
  '7',
  'host: 10.100.0.9\n',
  '  name: cluster-2\n',
  'kind: Cluster\n',
];

/** Offsets worth editing: separators, the embedded manifest, templates, addresses; else anywhere. */
function hotSpots(text: string): number[] {
  const out: number[] = [];
  for (const re of [/---/g, /value: /g, /\$\{/g, /\{\{/g, /10\.100\.0\./g, /content: \|/g, /\r/g]) for (const m of text.matchAll(re)) out.push(m.index);
  return out;
}

function edit(text: string, rnd: () => number, original: string): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const r = rnd();
  if (r < 0.04) return original; // back to a valid state now and then, so edits also land in well-formed YAML
  if (r < 0.07) return text + pick(['---', '---\n', '\n---', '---\r', '\r---']); // separators at the end of the file
  const spots = hotSpots(text);
  const at = rnd() < 0.6 && spots.length ? Math.min(text.length, pick(spots) + Math.floor(rnd() * 12)) : Math.floor(rnd() * (text.length + 1));
  if (r < 0.55) return text.slice(0, at) + pick(SNIPPETS) + text.slice(at);
  if (r < 0.85) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 6)));
  // Replace a line with a line of the original file (keeps the text close to real YAML).
  const lines = original.split('\n');
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  return text.slice(0, start) + pick(lines) + (end < 0 ? '' : text.slice(end));
}

/** What a snapshot answers, as plain data (span getters read now). */
function answers(s: Snapshot, probe: { uri: string; offset: number }): string {
  const a = s.analysis;
  return JSON.stringify({
    findings: a.findings.map((f) => ({ ...f, span: { ...f.span }, related: f.related?.map((r) => ({ ...r, span: { ...r.span } })) })),
    clusters: a.clusters.map((c) => ({
      id: `${c.namespace}/${c.name}`,
      places: c.places.map((p) => [p.role, p.value, p.templated, p.uri, p.span.start, p.span.end]),
      sans: c.certSans?.items.map((x) => [x.value, x.span.start, x.span.end]),
    })),
    pools: a.inventory.pools.map((p) => [p.name, p.origin]),
    addresses: a.inventory.addresses.map((x) => [x.name, x.origin]),
    hover: s.hover(probe.uri, probe.offset),
  });
}

test(`incremental analysis equals a fresh one after each of ${EDITS.toLocaleString('en')} seeded random edits (seed ${SEED})`, () => {
  const rnd = random(SEED);
  const host = new AnalysisHost();
  const texts = { ...FILES };
  for (const [uri, text] of Object.entries(texts)) host.setFile(uri, text);
  host.snapshot().diagnostics();
  const uris = Object.keys(texts);
  for (let i = 1; i <= EDITS; i++) {
    const uri = uris[Math.floor(rnd() * uris.length)]!;
    const before = texts[uri]!;
    const next = edit(before, rnd, FILES[uri]!);
    texts[uri] = next;
    host.setFile(uri, next);
    // Read the incremental snapshot as the editor does: hover (model only) first, then diagnostics; sometimes two edits before a read.
    if (rnd() < 0.2) continue;
    let offset = 0;
    while (offset < next.length && offset < before.length && next[offset] === before[offset]) offset++;
    const probe = { uri, offset };
    const incremental = host.snapshot();
    incremental.hover(uri, offset);
    const fresh = new AnalysisHost();
    for (const [u, t] of Object.entries(texts)) fresh.setFile(u, t);
    const got = answers(incremental, probe);
    const want = answers(fresh.snapshot(), probe);
    if (got !== want) assert.equal(got, want, `edit ${i} (seed ${SEED}) of ${uri}: the incremental answer differs from a fresh analysis`);
  }
});
