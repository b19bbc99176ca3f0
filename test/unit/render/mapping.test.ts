// Sentinels and the map from a rendering back to its sources, on hand-made renderings (the real
// helm and kustomize runs are in test/cli/render.test.ts and test/lsp/render.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sentinels } from '../../../server/src/render/sentinels';
import { mapFindings, RenderMap } from '../../../server/src/render/mapping';
import { Workspace } from '../../../server/src/engine/workspace';

const VALUES = 'host: 10.1.0.10\nkubeVip: ""\ncidr: 10.96.0.0/12\nversion: v1.2.3.4x\nlist:\n  - \'\'\n';

test('substitute: IPv4 literals and (in values files) empty quoted values, each a unique 240/4 address', () => {
  const s = new Sentinels();
  const out = s.substitute('values.yaml', VALUES, true);
  assert.equal(out, 'host: 240.0.0.1\nkubeVip: "240.0.0.2"\ncidr: 240.0.0.3/12\nversion: v1.2.3.4x\nlist:\n  - \'240.0.0.4\'\n');
  const host = s.find('240.0.0.1')!;
  assert.deepEqual(host.sentinel.source, { uri: 'values.yaml', span: { start: 6, end: 15 } });
  assert.equal(VALUES.slice(6, 15), '10.1.0.10');
  const empty = s.find('240.0.0.2')!;
  assert.equal(empty.sentinel.orig, '');
  assert.deepEqual(empty.sentinel.source.span, { start: 26, end: 26 });
  assert.deepEqual(s.find('[240.0.0.3]:6443') && { p: s.find('[240.0.0.3]:6443')!.prefix, x: s.find('[240.0.0.3]:6443')!.suffix }, { p: '[', x: ']:6443' });
  assert.equal(s.find('240.0.0.1 240.0.0.3'), undefined); // two sources: no single origin
  assert.equal(s.find('10.1.0.10'), undefined);
  assert.equal(new Sentinels().substitute('t.yaml', 'a: ""\n', false), 'a: ""\n'); // templates keep their empties
  assert.equal(new Sentinels().substitute('v.yaml', 'a: "" # x\r\nb: 10.0.0.1\r\n', true), 'a: "240.0.0.1" # x\r\nb: 240.0.0.2\r\n'); // CRLF
});

const doc = (vip: string, kv: string, kcp = kv) => `---
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata: {name: c1, namespace: ns}
spec:
  controlPlaneEndpoint: {host: "${vip}", port: 6443}
  infrastructureRef: {kind: VSphereCluster, name: c1}
  controlPlaneRef: {kind: KubeadmControlPlane, name: c1}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata: {name: c1, namespace: ns}
spec:
  controlPlaneEndpoint: {host: "${kv}", port: 6443}
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata: {name: c1, namespace: ns}
spec:
  kubeadmConfigSpec:
    clusterConfiguration:
      controlPlaneEndpoint: "${kcp}:6443"
`;

test('a finding on a rendered place moves to the source characters; a place whose sentinel does not explain its value falls back', () => {
  const s = new Sentinels();
  s.substitute('values.yaml', 'host: 10.1.0.10\nother: 10.1.0.11\n', true);
  // The Cluster shows the host sentinel; the VSphereCluster a sentinel whose original (10.1.0.11) is not
  // what the real rendering shows there (10.1.0.12); the KCP endpoint no sentinel at all.
  const real = doc('10.1.0.10', '10.1.0.12');
  const map = new RenderMap('render', real, (d) => ({ uri: `template-${d}.yaml`, span: { start: 0, end: 0 } }));
  assert.equal(map.addProbe(doc('240.0.0.1', '240.0.0.2', '10.1.0.12'), s), 2);
  const ws = new Workspace();
  ws.setFile('render', real);
  const findings = mapFindings(ws.analyze().findings, [map]);
  assert.deepEqual(
    findings.map((f) => [f.code, f.uri, f.span.start, f.span.end]),
    [['vip-mismatch', 'values.yaml', 6, 15]],
  );
  assert.deepEqual(
    findings[0]!.related?.map((r) => r.uri),
    ['template-2.yaml', 'template-3.yaml'],
  );
});

test('fix edits go to the source once; an edit of an unexplained place drops the fix', () => {
  const s = new Sentinels();
  s.substitute('values.yaml', 'host: 10.1.0.10\nkv: ""\n', true);
  const real = doc('10.1.0.10', '');
  const map = new RenderMap('render', real, () => ({ uri: 'chart.yaml', span: { start: 0, end: 0 } }));
  assert.equal(map.addProbe(doc('240.0.0.1', '', ''), s), 2); // the empty value is explained by a later probe
  assert.equal(map.addProbe(doc('240.0.0.1', '240.0.0.2', '240.0.0.2'), s), 0);
  const ws = new Workspace();
  ws.setFile('render', real);
  const edits = map.edits([
    { uri: 'render', span: { start: real.indexOf('10.1.0.10'), end: real.indexOf('10.1.0.10') + 9 }, newText: '10.1.0.20' },
    { uri: 'render', span: { start: real.lastIndexOf('""') + 1, end: real.lastIndexOf('""') + 1 }, newText: '10.1.0.20' },
    { uri: 'render', span: { start: real.length, end: real.length }, newText: '---\nkind: IPAddressClaim\n' },
  ]);
  assert.deepEqual(edits, [
    { uri: 'values.yaml', span: { start: 6, end: 15 }, newText: '10.1.0.20' },
    { uri: 'values.yaml', span: { start: 21, end: 21 }, newText: '10.1.0.20' },
  ]);
  const partial = map.edits([{ uri: 'render', span: { start: real.indexOf('10.1.0.10') + 1, end: real.indexOf('10.1.0.10') + 9 }, newText: 'x' }]);
  assert.equal(partial, undefined);
});
