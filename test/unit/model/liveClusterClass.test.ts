// A ClusterClass read from the management cluster teaches a workspace Cluster which object-valued
// variable carries its VIP (issue 21), as a workspace class does: the places are in the Cluster's file,
// their labels say the class came from the management cluster, and a workspace class of the same name wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { decodeClusterClass } from '../../../server/src/engine/model/clusterClass';
import { toInventory } from '../../../server/src/live/convert';

/** A class whose VIP variable no default names: `apiServerVip.address`, into the endpoint and into kube-vip's manifest. */
const liveClass = (apiVersion: 'v1beta1' | 'v1beta2', namespace = 'default', name = 'vip-class') => ({
  apiVersion: `cluster.x-k8s.io/${apiVersion}`,
  kind: 'ClusterClass',
  metadata: { name, namespace, uid: 'u1', resourceVersion: '7' },
  spec: {
    patches: [
      {
        name: 'endpoint',
        definitions: [
          {
            selector: {
              apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
              kind: 'VSphereClusterTemplate',
              matchResources: { infrastructureCluster: true },
            },
            jsonPatches: [{ op: 'add', path: '/spec/template/spec/controlPlaneEndpoint/host', valueFrom: { variable: 'apiServerVip.address' } }],
          },
        ],
      },
      {
        name: 'kube-vip',
        definitions: [
          {
            selector: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlaneTemplate', matchResources: { controlPlane: true } },
            jsonPatches: [
              {
                op: 'add',
                path: '/spec/template/spec/kubeadmConfigSpec/files/-',
                valueFrom: {
                  template:
                    'path: /etc/kubernetes/manifests/kube-vip.yaml\ncontent: |\n  apiVersion: v1\n  kind: Pod\n  metadata:\n    name: kube-vip\n  spec:\n    containers:\n    - name: kube-vip\n      image: ghcr.io/kube-vip/kube-vip:v1.0.1\n      env:\n      - name: address\n        value: "{{ .apiServerVip.address }}"\n',
                },
              },
            ],
          },
        ],
      },
    ],
  },
});

const cluster = (name: string, topology: string, vip: string) => `apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata:
  name: ${name}
  namespace: default
spec:
  topology:
    ${topology}
    version: v1.30.0
    variables:
    - name: apiServerVip
      value:
        address: ${vip}
`;

function analyse(files: Record<string, string>, classes: object[] | undefined) {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  if (classes) ws.setLiveInventory(toInventory(new Map([['ClusterClass', classes as Record<string, unknown>[]]])));
  const a = ws.analyze();
  return {
    places: a.clusters.map((c) => c.places.map((p) => [p.label, files[p.uri]!.slice(p.span.start, p.span.end)])),
    findings: a.findings.map((f) => [f.code, f.uri, files[f.uri]!.slice(f.span.start, f.span.end), f.message]),
  };
}

const FROM = '(ClusterClass default/vip-class read from the management cluster)';

test('decodeClusterClass: the same variables from a v1beta1 and a v1beta2 class, whatever else the object holds', () => {
  for (const v of ['v1beta1', 'v1beta2'] as const) {
    assert.deepEqual(decodeClusterClass(liveClass(v)), {
      namespace: 'default',
      name: 'vip-class',
      variables: { vip: ['apiServerVip.address'], kubeVipManifest: [] },
    });
  }
  assert.equal(decodeClusterClass({ kind: 'ClusterClass' }), undefined);
});

test('a live class teaches v1beta1 class and v1beta2 classRef Clusters their VIP variable; the label names the live class', () => {
  const files = {
    'a.yaml': cluster('a', 'class: vip-class', '10.10.0.40'),
    'b.yaml': cluster('b', 'classRef:\n      name: vip-class', '10.10.0.41'),
  };
  // Offline (no class anywhere): apiServerVip is no conventional variable, so nothing is read.
  assert.deepEqual(analyse(files, undefined).places, [[], []]);
  for (const v of ['v1beta1', 'v1beta2'] as const) {
    assert.deepEqual(analyse(files, [liveClass(v)]).places, [
      [[`Cluster a topology variable apiServerVip.address ${FROM}`, '10.10.0.40']],
      [[`Cluster b topology variable apiServerVip.address ${FROM}`, '10.10.0.41']],
    ]);
  }
});

test("a live class's places are checked in the Cluster's file: two Clusters sharing the VIP are duplicate-ip at each value", () => {
  const files = { 'a.yaml': cluster('a', 'class: vip-class', '10.10.0.40'), 'b.yaml': cluster('b', 'class: vip-class', '10.10.0.40') };
  const dup = analyse(files, [liveClass('v1beta2')]).findings.filter((f) => f[0] === 'duplicate-ip');
  assert.deepEqual(
    dup.map((f) => f.slice(0, 3)),
    [
      ['duplicate-ip', 'a.yaml', '10.10.0.40'],
      ['duplicate-ip', 'b.yaml', '10.10.0.40'],
    ],
  );
});

test('the class is looked up by namespace and name: another namespace, or classRef.namespace naming another, is not it', () => {
  const files = { 'a.yaml': cluster('a', 'class: vip-class', '10.10.0.40') };
  assert.deepEqual(analyse(files, [liveClass('v1beta2', 'other')]).places, [[]]);
  const elsewhere = { 'a.yaml': cluster('a', 'classRef:\n      name: vip-class\n      namespace: other', '10.10.0.40') };
  assert.deepEqual(analyse(elsewhere, [liveClass('v1beta2', 'other')]).places, [
    [['Cluster a topology variable apiServerVip.address (ClusterClass other/vip-class read from the management cluster)', '10.10.0.40']],
  ]);
  const v1beta1 = { 'a.yaml': cluster('a', 'class: vip-class\n    classNamespace: other', '10.10.0.40') };
  assert.equal(analyse(v1beta1, [liveClass('v1beta2', 'other')]).places[0]!.length, 1);
});

test('a workspace ClusterClass of the same name wins over the live one', () => {
  const workspaceClass = `apiVersion: cluster.x-k8s.io/v1beta1
kind: ClusterClass
metadata:
  name: vip-class
  namespace: default
spec:
  patches:
  - name: endpoint
    definitions:
    - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta1, kind: VSphereClusterTemplate, matchResources: {infrastructureCluster: true}}
      jsonPatches:
      - op: add
        path: /spec/template/spec/controlPlaneEndpoint/host
        valueFrom: {variable: otherVip.address}
`;
  const files = { 'class.yaml': workspaceClass, 'a.yaml': cluster('a', 'class: vip-class', '10.10.0.40') };
  // The workspace class reads otherVip, which the Cluster does not set: the live class's apiServerVip is not used.
  assert.deepEqual(analyse(files, [liveClass('v1beta2')]).places, [[]]);
});
