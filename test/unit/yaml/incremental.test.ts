// Incremental re-parsing (only the `---` chunks an edit touches) must give exactly what a fresh
// parse of the same text gives: findings, spans and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';

const key = (w: Workspace) =>
  w
    .analyze()
    .findings.map((f) => `${f.code}@${f.span.start}-${f.span.end}:${f.message}`)
    .join('\n');

function fresh(text: string): string {
  const w = new Workspace();
  w.setFile('f.yaml', text);
  return key(w);
}

test('typing after a final `---` without a newline re-parses the document before it', () => {
  const ws = new Workspace();
  ws.setFile('f.yaml', 'apiVersion: v1\nkind: ConfigMap\n---');
  assert.deepEqual(ws.analyze().findings, []);
  const edited = 'apiVersion: v1\nkind: ConfigMap\n---x';
  ws.setFile('f.yaml', edited);
  assert.equal(key(ws), fresh(edited));
  assert.deepEqual(
    ws.analyze().findings.map((f) => f.code),
    ['yaml-syntax'],
  );
});

test('lone CR line endings: `---` after `\\r` splits documents as YAML does; U+2028 is no line break', () => {
  const cm = (n: string, br: string) => `apiVersion: v1${br}kind: ConfigMap${br}metadata:${br}  name: ${n}${br}`;
  for (const br of ['\r', '\r\n', '\n']) {
    const text = cm('a', br) + `---${br}` + cm('b', br);
    const ws = new Workspace();
    ws.setFile('f.yaml', text);
    assert.deepEqual(ws.analyze().findings, [], JSON.stringify(br));
    ws.setFile('f.yaml', text.replace('name: b', 'name: c'));
    assert.equal(key(ws), fresh(text.replace('name: b', 'name: c')));
  }
  // Inside a line, U+2028 is an ordinary character for YAML and LSP: `---` after it is no boundary.
  const ws = new Workspace();
  ws.setFile('f.yaml', 'a: 1\u2028--- b\n');
  assert.deepEqual(ws.analyze().findings, []);
});

test('differential fuzz: 2,000 seeded edits, incremental equals fresh (CR, CRLF, `---` at EOF, embedded manifests)', () => {
  // Small on purpose (each edit is parsed twice): a cluster whose kube-vip manifest is a block
  // literal, one whose manifest is a double-quoted topology variable, and a trailing `---`.
  const pod = (addr: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-vip\nspec:\n  containers:\n  - name: kube-vip\n    env:\n    - name: address\n      value: ${addr}\n`;
  const base = `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: a
spec:
  controlPlaneEndpoint:
    host: 10.10.0.20
    port: 6443
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: a
spec:
  kubeadmConfigSpec:
    files:
    - path: /etc/kubernetes/manifests/kube-vip.yaml
      content: |
${pod('10.10.0.21').replace(/^(?=.)/gm, '        ')}---
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: b
spec:
  controlPlaneEndpoint:
    host: 10.10.0.20
  topology:
    variables:
    - name: controlPlaneIpAddr
      value: 10.10.0.30
    - name: kubeVipPodManifest
      value: ${JSON.stringify(pod('10.10.0.31'))}
---`;
  const embedded = [...base.matchAll(/name: address\n\s+value: /g)].map((m) => m.index!);
  const escaped = base.indexOf('\\n    - name: address');
  assert.ok(embedded.length === 1 && escaped > 0 && fresh(base).includes('vip-mismatch'));
  let seed = 20261201;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const pieces = ['-', '---', '---\n', '\n---', '\r', '\r\n', '\n', ' ', '  ', 'x', '1', ':', '10.10.0.9', '"', '|', '#', '\\n', '\u2028'];
  const incremental = new Workspace();
  let text = base;
  incremental.setFile('f.yaml', text);
  const EDITS = 2000;
  for (let i = 0; i < EDITS; i++) {
    if (i % 150 === 0) text = rnd(2) ? base : base.replaceAll('\n', rnd(2) ? '\r' : '\r\n');
    else {
      // Where: a quarter at the end of the file, a quarter inside an embedded manifest, the rest anywhere.
      const where = rnd(4);
      const inside = rnd(2) ? embedded[rnd(embedded.length)]! : escaped;
      const at = Math.min(text.length, where === 0 ? text.length - rnd(6) : where === 1 ? inside + rnd(60) : rnd(text.length + 1));
      text = rnd(3) ? text.slice(0, at) + pieces[rnd(pieces.length)] + text.slice(at) : text.slice(0, Math.max(0, at - 1 - rnd(3))) + text.slice(at);
    }
    incremental.setFile('f.yaml', text);
    assert.equal(key(incremental), fresh(text), `edit ${i}: ${JSON.stringify(text.slice(-40))}`);
  }
});
