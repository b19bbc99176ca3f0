// The IPAddressClaim document appended next to a cluster: written by the YAML library (quoted where a
// value needs it), and not appended again when the file already holds that claim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { claimDocumentEdit, type WorkloadCluster } from '../../../server/src/engine/index';

const cluster = (name: string, namespace = 'default') =>
  ({
    name,
    namespace,
    cluster: { uri: 'file:///w/c.yaml', span: { start: 0, end: 0 } },
    anchor: { uri: 'file:///w/c.yaml', span: { start: 0, end: 0 } },
  }) as unknown as WorkloadCluster;
const pool = { kind: 'InClusterIPPool', name: 'vips' };

test('the claim is appended as its own document, exactly', () => {
  const text = 'kind: Cluster\nmetadata:\n  name: lab\n';
  const [edit] = claimDocumentEdit(cluster('lab'), text, pool, { clusterExists: true });
  assert.equal(edit!.span.start, text.length);
  assert.equal(
    edit!.newText,
    [
      '---',
      'apiVersion: ipam.cluster.x-k8s.io/v1beta2',
      'kind: IPAddressClaim',
      'metadata:',
      '  name: lab-control-plane-vip',
      '  namespace: default',
      '  labels:',
      '    cluster.x-k8s.io/cluster-name: lab',
      '  annotations:',
      '    capi-ipam.dev/created-by: capi-ipam',
      '    capi-ipam.dev/cluster: lab',
      'spec:',
      '  poolRef:',
      '    apiGroup: ipam.cluster.x-k8s.io',
      '    kind: InClusterIPPool',
      '    name: vips',
      '  clusterName: lab',
      '',
    ].join('\n'),
  );
});

test('a value YAML would misread is quoted, and reads back as written', () => {
  const [edit] = claimDocumentEdit(cluster('lab', 'yes'), '', { kind: 'InClusterIPPool', name: '0777' }, { clusterExists: false });
  const o = parse(edit!.newText.replace(/^---\n/, ''));
  assert.equal(o.metadata.namespace, 'yes');
  assert.equal(o.spec.poolRef.name, '0777');
});

test('no second claim when the file holds it; a dot in the name is a dot, and a mention elsewhere is no claim', () => {
  const claim = (name: string, ns = 'default') => `---\nkind: IPAddressClaim\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n`;
  assert.deepEqual(claimDocumentEdit(cluster('a.b'), claim('a.b-control-plane-vip'), pool, { clusterExists: true }), []);
  assert.equal(claimDocumentEdit(cluster('a.b'), claim('axb-control-plane-vip'), pool, { clusterExists: true }).length, 1);
  assert.equal(claimDocumentEdit(cluster('lab'), claim('lab-control-plane-vip', 'other'), pool, { clusterExists: true }).length, 1);
  const mention = '---\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  x: "kind: IPAddressClaim name: lab-control-plane-vip"\n';
  assert.equal(claimDocumentEdit(cluster('lab'), mention, pool, { clusterExists: true }).length, 1);
});
