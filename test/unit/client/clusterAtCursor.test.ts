import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { clusterAtCursor } from '../../../client/src/clusterAtCursor';

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

describe('clusterAtCursor', () => {
  test('a cursor inside a Cluster document names that cluster', () => {
    assert.deepEqual(clusterAtCursor(manifests, manifests.indexOf('name: wc1')), { name: 'wc1', namespace: 'org-a' });
  });

  test('the cluster-name label names the cluster of any object', () => {
    assert.deepEqual(clusterAtCursor(manifests, manifests.indexOf('wc2-cp')), { name: 'wc2', namespace: 'org-b' });
  });

  test('a Cluster without namespace is in "default"', () => {
    assert.deepEqual(clusterAtCursor(manifests, manifests.lastIndexOf('wc3')), { name: 'wc3', namespace: 'default' });
  });

  test('an unlabelled object in a file with several Clusters is ambiguous', () => {
    assert.equal(clusterAtCursor(manifests, manifests.indexOf('VSphereCluster')), undefined);
  });

  test('an unlabelled object in a file with one Cluster belongs to it', () => {
    const single = manifests.split('---\n').slice(0, 3).join('---\n');
    assert.deepEqual(clusterAtCursor(single, single.indexOf('VSphereCluster')), { name: 'wc1', namespace: 'org-a' });
  });

  test('kind Cluster of another API group is not a CAPI cluster', () => {
    const other = 'apiVersion: example.com/v1\nkind: Cluster\nmetadata:\n  name: x\n';
    assert.equal(clusterAtCursor(other, 5), undefined);
  });

  test('broken YAML yields no cluster instead of throwing', () => {
    assert.equal(clusterAtCursor('kind: [unclosed\n', 3), undefined);
  });
});
