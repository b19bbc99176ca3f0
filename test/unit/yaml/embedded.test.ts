// Positions inside YAML embedded in strings map back to the outer file exactly, and edits rewrite
// only the address characters (or re-encode the scalar when that is the only correct edit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { applyEdits, vipEdits } from '../../../server/src/engine/edits';
import { kubeVipPod } from '../../support/kubeVipPod';

const POD = (addr: string) => kubeVipPod(addr);

const indent = (text: string, n: number) =>
  text
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');

function kcp(files: string, extra = '') {
  return `apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: c1
spec:
  kubeadmConfigSpec:
    files:
${files}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata:
  name: c1
spec:
  controlPlaneEndpoint:
    host: 10.0.0.5
    port: 6443
${extra}`;
}

function analyse(text: string) {
  const ws = new Workspace();
  ws.setFile('f.yaml', text);
  return { ws, a: ws.analyze() };
}

function kubeVipPlace(text: string) {
  const { a } = analyse(text);
  const c = a.clusters.find((x) => x.name === 'c1')!;
  return { c, place: c.places.find((p) => p.role === 'kube-vip-address')!, a };
}

const blockVariants: [string, string][] = [
  ['literal |, content before path, 8 spaces', `    - content: |\n${indent(POD('10.0.0.6'), 8)}      path: /etc/kubernetes/manifests/kube-vip.yaml\n`],
  ['literal |- with 10 spaces', `    - path: /etc/kubernetes/manifests/kube-vip.yaml\n      content: |-\n${indent(POD('10.0.0.6'), 10)}`],
  ['literal |+ with an indentation indicator', `    - path: /etc/kubernetes/manifests/kube-vip.yaml\n      content: |2+\n${indent(POD('10.0.0.6'), 8)}\n`],
  ['double-quoted with \\n escapes', `    - path: /etc/kubernetes/manifests/kube-vip.yaml\n      content: ${JSON.stringify(POD('10.0.0.6'))}\n`],
  ['CRLF line endings', `    - content: |\r\n${indent(POD('10.0.0.6'), 8).replaceAll('\n', '\r\n')}      path: /etc/kubernetes/manifests/kube-vip.yaml\r\n`],
];

for (const [name, files] of blockVariants) {
  test(`kube-vip address inside ${name}: exact span and a minimal edit`, () => {
    const text = kcp(files);
    const { c, place, a } = kubeVipPlace(text);
    assert.ok(place, 'kube-vip place found');
    assert.equal(text.slice(place.span.start, place.span.end), '10.0.0.6');
    const mismatch = a.findings.find((f) => f.code === 'vip-mismatch')!;
    assert.equal(text.slice(mismatch.span.start, mismatch.span.end), '10.0.0.6');
    const edits = vipEdits(c, '10.0.0.5', { addCertSan: false });
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0]!.span, place.span);
    const next = applyEdits(new Map([['f.yaml', text]]), edits).get('f.yaml')!;
    const again = analyse(next).a;
    assert.equal(again.findings.filter((f) => f.code === 'vip-mismatch').length, 0);
  });
}

test('kube-vip manifest from a Secret: stringData is edited in place, base64 data is re-encoded', () => {
  const files = `    - path: /etc/kubernetes/manifests/kube-vip.yaml\n      contentFrom:\n        secret:\n          name: c1-kubevip\n          key: content\n`;
  const plain = kcp(files, `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: c1-kubevip\nstringData:\n  content: |\n${indent(POD('10.0.0.7'), 4)}`);
  const p = kubeVipPlace(plain);
  assert.equal(plain.slice(p.place.span.start, p.place.span.end), '10.0.0.7');
  assert.match(p.place.label, /Secret c1-kubevip key content/);

  const encoded = Buffer.from(POD('10.0.0.7')).toString('base64');
  const b64 = kcp(files, `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: c1-kubevip\ndata:\n  content: ${encoded}\n`);
  const q = kubeVipPlace(b64);
  assert.equal(q.place.value, '10.0.0.7');
  assert.equal(b64.slice(q.place.span.start, q.place.span.end), encoded);
  const next = applyEdits(new Map([['f.yaml', b64]]), vipEdits(q.c, '10.0.0.5', { addCertSan: false })).get('f.yaml')!;
  const decoded = Buffer.from(/content: (\S+)\n$/.exec(next)![1]!, 'base64').toString();
  assert.equal(decoded, POD('10.0.0.5'));
});

test('address and vip_address: kube-vip uses address; a disagreeing vip_address is still reported', () => {
  const pod = POD('10.0.0.5').replace('    - name: address', '    - name: vip_address\n      value: 10.0.0.9\n    - name: address');
  const text = kcp(`    - content: |\n${indent(pod, 8)}      path: /etc/kubernetes/manifests/kube-vip.yaml\n`);
  const { c, a } = kubeVipPlace(text);
  const shadow = c.places.find((p) => p.role === 'kube-vip-vip_address')!;
  assert.equal(shadow.shadowed, true);
  const f = a.findings.find((x) => x.code === 'vip-mismatch')!;
  assert.equal(text.slice(f.span.start, f.span.end), '10.0.0.9');
  assert.match(f.message, /stale vip_address/);
});

test('ClusterClass topology: controlPlaneIpAddr and a double-quoted kubeVipPodManifest', () => {
  const text = `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: c1
spec:
  topology:
    class: vsphere-quickstart
    variables:
    - name: controlPlaneIpAddr
      value: 10.0.0.5
    - name: kubeVipPodManifest
      value: ${JSON.stringify(POD('10.0.0.8'))}
`;
  const { a } = analyse(text);
  const c = a.clusters[0]!;
  assert.deepEqual(
    c.places.map((p) => `${p.role}=${p.value}`),
    ['topology-variable=10.0.0.5', 'kube-vip-address=10.0.0.8'],
  );
  const f = a.findings.find((x) => x.code === 'vip-mismatch')!;
  assert.equal(text.slice(f.span.start, f.span.end), '10.0.0.8');
});

test('KCP controlPlaneEndpoint host:port and IPv6 [host]:port: only the host is a place', () => {
  for (const [ep, host] of [
    ['10.0.0.5:6443', '10.0.0.5'],
    ['"[fd00::5]:6443"', 'fd00::5'],
    ['fd00::5', 'fd00::5'],
  ] as const) {
    const text = `apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: c1
spec:
  kubeadmConfigSpec:
    clusterConfiguration:
      controlPlaneEndpoint: ${ep}
`;
    const p = analyse(text).a.clusters[0]!.places[0]!;
    assert.equal(p.role, 'kcp-endpoint');
    assert.equal(text.slice(p.span.start, p.span.end), host);
  }
});

test('unicode before the address and tabs: spans stay exact; tab indentation is a YAML error, not a crash', () => {
  const pod = POD('10.0.0.6').replace('  name: kube-vip\n', '  name: kube-vip\n  annotations:\n    note: "ünïcødé 🚀 — VIP"\n');
  const text = kcp(`    - content: |\n${indent(pod, 8)}      path: /etc/kubernetes/manifests/kube-vip.yaml\n`);
  const { place } = kubeVipPlace(text);
  assert.equal(text.slice(place.span.start, place.span.end), '10.0.0.6');
  const { a } = analyse('apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n');
  assert.deepEqual(
    a.findings.map((f) => f.code),
    ['yaml-syntax'],
  );
});

test('an edit re-parses only the documents it touches and later positions follow', () => {
  const docs = Array.from(
    { length: 50 },
    (_, i) =>
      `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: VSphereCluster\nmetadata:\n  name: c${i}\nspec:\n  controlPlaneEndpoint:\n    host: 10.0.${i}.5\n`,
  ).join('---\n');
  const ws = new Workspace();
  ws.setFile('f.yaml', docs);
  const edited = docs.replace('name: c0\n', 'name: c0\n  labels: {a: b}\n');
  ws.setFile('f.yaml', edited);
  for (const c of ws.analyze().clusters) {
    const p = c.places[0]!;
    assert.equal(edited.slice(p.span.start, p.span.end), p.value, c.name);
  }
});

test('address and vip_address inside one base64 Secret value are rewritten in one edit', () => {
  const pod = POD('10.0.0.7').replace('    - name: address', '    - name: vip_address\n      value: 10.0.0.8\n    - name: address');
  const files = `    - path: /etc/kubernetes/manifests/kube-vip.yaml\n      contentFrom:\n        secret:\n          name: c1-kubevip\n          key: content\n`;
  const text = kcp(files, `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: c1-kubevip\ndata:\n  content: ${Buffer.from(pod).toString('base64')}\n`);
  const { c } = kubeVipPlace(text);
  const edits = vipEdits(c, '10.0.0.5', { addCertSan: false });
  assert.equal(edits.length, 1);
  const next = applyEdits(new Map([['f.yaml', text]]), edits).get('f.yaml')!;
  const decoded = Buffer.from(/content: (\S+)\n$/.exec(next)![1]!, 'base64').toString();
  assert.equal(decoded, pod.replace('10.0.0.7', '10.0.0.5').replace('10.0.0.8', '10.0.0.5'));
  assert.deepEqual(
    analyse(next).a.findings.filter((f) => f.code === 'vip-mismatch'),
    [],
  );
});
