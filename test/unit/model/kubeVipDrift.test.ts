// kube-vip-drift: vip_cidr with a kube-vip v1 image (removed in v1.0.0) is a warning, vip_address a
// hint (deprecated, kube-vip v1.2.3) with a rename where it stands instead of address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { applyEdits } from '../../../server/src/engine/edits';
import { imageVersion } from '../../../server/src/engine/rules/kubeVipDrift';
import { envsubst, readCorpus } from '../../support/corpus';

function kcp(image: string, env: string): string {
  return `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: c1
spec:
  controlPlaneEndpoint:
    host: 10.0.0.5
  controlPlaneRef:
    apiVersion: controlplane.cluster.x-k8s.io/v1beta1
    kind: KubeadmControlPlane
    name: c1
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: c1
spec:
  kubeadmConfigSpec:
    files:
    - path: /etc/kubernetes/manifests/kube-vip.yaml
      content: |
        apiVersion: v1
        kind: Pod
        metadata:
          name: kube-vip
        spec:
          containers:
          - name: kube-vip
            image: ${image}
            env:
${env.replace(/^/gm, '            ')}
`;
}

function run(text: string) {
  const ws = new Workspace();
  ws.setFile('f.yaml', text);
  const a = ws.analyze();
  const drift = a.findings.filter((f) => f.code === 'kube-vip-drift');
  return { ws, a, drift: drift.map((f) => [f.severity, text.slice(f.span.start, f.span.end), f.span.start, f.message]) };
}

const CIDR = '- name: vip_cidr\n  value: "32"\n- name: address\n  value: 10.0.0.5';

test('imageVersion: tags, digests, registries with ports; latest and no tag are untagged; other tags unknown', () => {
  assert.deepEqual(imageVersion('ghcr.io/kube-vip/kube-vip:v0.6.4'), [0, 6, 4]);
  assert.deepEqual(imageVersion('registry.lab:5000/kube-vip/kube-vip:v1.2.3@sha256:abcd'), [1, 2, 3]);
  assert.equal(imageVersion('registry.lab:5000/kube-vip/kube-vip'), 'untagged');
  assert.equal(imageVersion('ghcr.io/kube-vip/kube-vip:latest'), 'untagged');
  assert.equal(imageVersion('ghcr.io/kube-vip/kube-vip:main'), undefined);
});

test('vip_cidr is a warning with a v1 image or no version tag, at the env name; an older or templated image says nothing', () => {
  const v1 = kcp('ghcr.io/kube-vip/kube-vip:v1.0.3', CIDR);
  assert.deepEqual(run(v1).drift, [
    [
      'warning',
      'vip_cidr',
      v1.indexOf('vip_cidr'),
      'kube-vip env vip_cidr was removed in kube-vip v1.0.0 and this image is v1.0.3: it is ignored; vip_subnet replaces it.',
    ],
  ]);
  const untagged = kcp('ghcr.io/kube-vip/kube-vip', CIDR);
  assert.deepEqual(
    run(untagged).drift.map((d) => d[3]),
    [
      'kube-vip env vip_cidr was removed in kube-vip v1.0.0 and this image (ghcr.io/kube-vip/kube-vip) has no version tag, so it runs the latest: it is ignored; vip_subnet replaces it.',
    ],
  );
  assert.deepEqual(run(kcp('ghcr.io/kube-vip/kube-vip:v0.6.4', CIDR)).drift, []);
  assert.deepEqual(run(kcp('ghcr.io/kube-vip/kube-vip:${KUBE_VIP_VERSION}', CIDR)).drift, []);
  // CAPV's template as it ships (v0.6.4 with vip_cidr): nothing.
  assert.deepEqual(run(envsubst(readCorpus('capv-kube-vip.yaml'))).drift, []);
});

test('vip_address instead of address: a hint whose quick fix renames it; the renamed manifest is clean', () => {
  const text = kcp('ghcr.io/kube-vip/kube-vip:v1.2.3', '- name: vip_address\n  value: 10.0.0.5');
  const { ws, drift } = run(text);
  const at = text.indexOf('vip_address');
  assert.deepEqual(drift, [['hint', 'vip_address', at, 'kube-vip env vip_address is deprecated (kube-vip v1.2.3 reads address): rename it to address.']]);
  const fixes = ws.fixesAt('f.yaml', at, at);
  assert.deepEqual(
    fixes.map((f) => [f.title, f.edits.map((e) => [text.slice(e.span.start, e.span.end), e.newText])]),
    [['Rename vip_address to address', [['vip_address', 'address']]]],
  );
  const next = applyEdits(new Map([['f.yaml', text]]), fixes[0]!.edits).get('f.yaml')!;
  assert.equal(next, text.replace('- name: vip_address', '- name: address'));
  const again = run(next);
  assert.deepEqual(again.a.findings, []);
  assert.deepEqual(
    again.a.clusters[0]!.places.map((p) => p.role),
    ['cluster-endpoint', 'kube-vip-address'],
  );
});

test('vip_address beside address: a hint that it can go, no rename (it would duplicate address)', () => {
  const text = kcp('ghcr.io/kube-vip/kube-vip:v0.8.0', '- name: vip_address\n  value: 10.0.0.5\n- name: address\n  value: 10.0.0.5');
  const { ws, drift } = run(text);
  const at = text.indexOf('vip_address');
  assert.deepEqual(drift, [
    ['hint', 'vip_address', at, 'kube-vip env vip_address is deprecated (kube-vip v1.2.3) and kube-vip reads address here: this vip_address can go.'],
  ]);
  assert.deepEqual(ws.fixesAt('f.yaml', at, at), []);
});

test('a kube-vip DaemonSet a ClusterResourceSet ships to two clusters is reported once', () => {
  const one = envsubst(readCorpus('harvester-crs-kube-vip.yaml')).replace(
    '            - name: address\n',
    '            - name: vip_cidr\n              value: "32"\n            - name: address\n',
  );
  const two = one.replace(
    /^apiVersion: cluster\.x-k8s\.io\/v1beta1\nkind: Cluster\n[\s\S]*?\n---\n/,
    (cluster) => cluster + cluster.replace('  name: lab\n', '  name: lab2\n'),
  );
  const { a, drift } = run(two);
  assert.deepEqual(
    a.clusters.map((c) => [c.name, c.places.map((p) => p.role)]),
    [
      ['lab', ['cluster-endpoint', 'kube-vip-address']],
      ['lab2', ['cluster-endpoint', 'kube-vip-address']],
    ],
  );
  assert.deepEqual(
    drift.map((d) => [d[0], d[1], d[2]]),
    [['warning', 'vip_cidr', two.indexOf('vip_cidr')]],
  );
});
