// Which cluster the cursor is in, as the Allocate and Release commands ask the server for it
// (capiIpam/clusterAt): the Cluster document, an object labelled with its name, or the file's only Cluster.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisHost } from '../../../server/src/engine/index';

const manifests = `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: wc1
  namespace: org-a
spec: {}
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: wc2-cp
  namespace: org-b
  labels:
    cluster.x-k8s.io/cluster-name: wc2
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata:
  name: wc1
  namespace: org-a
---
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: wc3
`;

function clusterAt(text: string, offset: number) {
  const host = new AnalysisHost();
  host.setFile('file:///w/c.yaml', text);
  return host.snapshot().clusterAt('file:///w/c.yaml', offset);
}

describe('clusterAt', () => {
  test('a cursor inside a Cluster document names that cluster', () => {
    assert.deepEqual(clusterAt(manifests, manifests.indexOf('name: wc1')), { name: 'wc1', namespace: 'org-a' });
  });

  test('the cluster-name label names the cluster of any object', () => {
    assert.deepEqual(clusterAt(manifests, manifests.indexOf('wc2-cp')), { name: 'wc2', namespace: 'org-b' });
  });

  test('a Cluster without namespace is in "default"', () => {
    assert.deepEqual(clusterAt(manifests, manifests.lastIndexOf('wc3')), { name: 'wc3', namespace: 'default' });
  });

  test('an unlabelled object in a file with several Clusters is ambiguous', () => {
    assert.equal(clusterAt(manifests, manifests.indexOf('VSphereCluster')), undefined);
  });

  test('an unlabelled object in a file with one Cluster belongs to it', () => {
    const single = manifests.split('---\n').slice(0, 3).join('---\n');
    assert.deepEqual(clusterAt(single, single.indexOf('VSphereCluster')), { name: 'wc1', namespace: 'org-a' });
  });

  test('kind Cluster of another API group is not a CAPI cluster', () => {
    const other = 'apiVersion: example.com/v1\nkind: Cluster\nmetadata:\n  name: x\n';
    assert.equal(clusterAt(other, 5), undefined);
  });

  test('else the cluster with a VIP place at the cursor, even in a file of several Clusters', () => {
    const placed = manifests.replace(
      '  namespace: org-a\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: wc3',
      '  namespace: org-a\nspec:\n  controlPlaneEndpoint:\n    host: 10.0.0.5\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: wc3',
    );
    assert.notEqual(placed, manifests);
    assert.equal(clusterAt(placed, placed.indexOf('VSphereCluster')), undefined);
    assert.deepEqual(clusterAt(placed, placed.indexOf('10.0.0.5') + 2), { name: 'wc1', namespace: 'org-a' });
  });

  test('broken YAML yields no cluster instead of throwing', () => {
    assert.equal(clusterAt('kind: [unclosed\n', 3), undefined);
  });
});
