// Object-valued ClusterClass variables: the class's patches say which variable and sub-field
// carries the VIP; without a class, the configured names (object paths allowed) are the fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { templateRefs } from '../../../server/src/engine/model/clusterClass';

const PROXMOX_LIKE_CLASS = `apiVersion: cluster.x-k8s.io/v1beta1
kind: ClusterClass
metadata:
  name: pve-class
spec:
  variables:
  - name: controlPlaneEndpoint
    required: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          host: {type: string}
          port: {type: integer}
  patches:
  - name: endpoint
    definitions:
    - selector:
        apiVersion: infrastructure.cluster.x-k8s.io/v1alpha1
        kind: ProxmoxClusterTemplate
        matchResources: {infrastructureCluster: true}
      jsonPatches:
      - op: add
        path: /spec/template/spec/controlPlaneEndpoint/host
        valueFrom:
          variable: controlPlaneEndpoint.host
  - name: kube-vip
    definitions:
    - selector:
        apiVersion: controlplane.cluster.x-k8s.io/v1beta1
        kind: KubeadmControlPlaneTemplate
        matchResources: {controlPlane: true}
      jsonPatches:
      - op: add
        path: /spec/template/spec/kubeadmConfigSpec/files
        valueFrom:
          template: |
            - path: /etc/kubernetes/manifests/kube-vip.yaml
              owner: root:root
              content: |
                apiVersion: v1
                kind: Pod
                metadata:
                  name: kube-vip
                spec:
                  containers:
                  - name: kube-vip
                    image: ghcr.io/kube-vip/kube-vip:v0.7.1
                    env:
                    - name: vip_interface
                      value: "{{ .cloneSpec.virtualIPNetworkInterface }}"
                    - name: address
                      value: "{{ .controlPlaneEndpoint.host }}"
`;

const NUTANIX_LIKE_CLASS = `apiVersion: cluster.x-k8s.io/v1beta1
kind: ClusterClass
metadata:
  name: ntnx-class
spec:
  patches:
  - name: update-control-plane-endpoint
    definitions:
    - selector:
        apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
        kind: NutanixClusterTemplate
        matchResources: {infrastructureCluster: true}
      jsonPatches:
      - op: add
        path: /spec/template/spec/controlPlaneEndpoint
        valueFrom:
          template: |
            host: '{{ .controlPlaneEndpoint.IP }}'
            port: {{ .controlPlaneEndpoint.port }}
`;

const topologyCluster = (name: string, cls: string, value: string, v1beta2 = false) => `apiVersion: cluster.x-k8s.io/${v1beta2 ? 'v1beta2' : 'v1beta1'}
kind: Cluster
metadata:
  name: ${name}
  namespace: default
spec:
  topology:
    ${v1beta2 ? `classRef:\n      name: ${cls}` : `class: ${cls}`}
    version: v1.30.0
    variables:
    - name: controlPlaneEndpoint
      value:
${value}
`;

function analyse(files: Record<string, string>, vip?: string[]) {
  const ws = new Workspace(vip ? { topologyVariables: { vip, kubeVipManifest: [] } } : {});
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  const a = ws.analyze();
  const places = a.clusters.map((c) => c.places.map((p) => [p.label, files[p.uri]!.slice(p.span.start, p.span.end)]));
  const findings = a.findings.map((f) => [f.code, files[f.uri]!.slice(f.span.start, f.span.end), f.message]);
  return { places, findings };
}

test('templateRefs: the variables a Go template reads, with sub-paths', () => {
  assert.deepEqual(templateRefs("host: '{{ .controlPlaneEndpoint.IP }}'\nport: {{ .controlPlaneEndpoint.port }}"), [
    'controlPlaneEndpoint.IP',
    'controlPlaneEndpoint.port',
  ]);
  assert.deepEqual(templateRefs('{{ printf "%q" (regexReplaceAll "x" .kubeVipPodManifest (printf "$1 %s" .controlPlaneIpAddr)) }}'), [
    'kubeVipPodManifest',
    'controlPlaneIpAddr',
  ]);
  assert.deepEqual(templateRefs('no markup: .notAVariable'), []);
});

test('Proxmox-like class: valueFrom.variable controlPlaneEndpoint.host and the templated kube-vip address lead to the host sub-field', () => {
  const cluster = topologyCluster('pve1', 'pve-class', '        host: 10.10.10.300\n        port: 6443');
  const r = analyse({ 'class.yaml': PROXMOX_LIKE_CLASS, 'c.yaml': cluster });
  assert.deepEqual(r.places, [[['Cluster pve1 topology variable controlPlaneEndpoint.host', '10.10.10.300']]]);
  assert.deepEqual(
    r.findings.map((f) => f.slice(0, 2)),
    [['invalid-ip', '10.10.10.300']],
  );
  // The templated kube-vip address alone teaches the same path.
  const onlyKubeVip = PROXMOX_LIKE_CLASS.replace('        variable: controlPlaneEndpoint.host', '        variable: unrelated');
  assert.deepEqual(analyse({ 'class.yaml': onlyKubeVip, 'c.yaml': cluster }).places, r.places);
  // Without the class in the workspace, the providers' conventional controlPlaneEndpoint.host is read by default (issue 21) …
  assert.deepEqual(analyse({ 'c.yaml': cluster }).places, r.places);
  // … and an object variable of another name is not.
  assert.deepEqual(analyse({ 'c.yaml': cluster.replace('name: controlPlaneEndpoint', 'name: apiEndpoint') }).places, [[]]);
  // A templated host is a placeholder, as everywhere.
  const raw = analyse({
    'class.yaml': PROXMOX_LIKE_CLASS,
    'c.yaml': topologyCluster('pve1', 'pve-class', '        host: ${CONTROL_PLANE_ENDPOINT_IP}\n        port: 6443'),
  });
  assert.deepEqual(
    raw.findings.map((f) => f.slice(0, 2)),
    [['missing-vip', '${CONTROL_PLANE_ENDPOINT_IP}']],
  );
});

test('Nutanix-like class (v1beta2 classRef): a template writing host from controlPlaneEndpoint.IP; two clusters sharing the IP are duplicate-ip', () => {
  const a = topologyCluster('ntnx-a', 'ntnx-class', '        IP: 10.20.0.5\n        port: 6443', true);
  const b = topologyCluster('ntnx-b', 'ntnx-class', '        {IP: 10.20.0.5, port: 6443}');
  const r = analyse({ 'class.yaml': NUTANIX_LIKE_CLASS, 'a.yaml': a, 'b.yaml': b.replace('      value:\n        {', '      value: {').replace('}\n', '}\n') });
  assert.deepEqual(r.places, [
    [['Cluster ntnx-a topology variable controlPlaneEndpoint.IP', '10.20.0.5']],
    [['Cluster ntnx-b topology variable controlPlaneEndpoint.IP', '10.20.0.5']],
  ]);
  assert.deepEqual(
    r.findings.map((f) => f.slice(0, 2)),
    [
      ['duplicate-ip', '10.20.0.5'],
      ['duplicate-ip', '10.20.0.5'],
    ],
  );
});

test('no class at hand: capiIpam.topologyVariables accepts object paths', () => {
  const cluster = topologyCluster('pve1', 'elsewhere', '        host: 10.10.10.9\n        port: 6443');
  assert.deepEqual(analyse({ 'c.yaml': cluster }, ['controlPlaneEndpoint.host']).places, [
    [['Cluster pve1 topology variable controlPlaneEndpoint.host', '10.10.10.9']],
  ]);
});
