// ClusterClasses read from the management cluster (issue 21), on both backends, through the language
// server over stdio: a workspace Cluster whose class is only in the cluster learns which object-valued
// variable carries its VIP; the places are reported in the Cluster's file, hover says where the class came
// from, and deleting the class in the cluster takes the places away (a watch, not a poll).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { LspClient } from '../support/lspClient';

const selector = (kind: string, match: 'infrastructureCluster' | 'controlPlane') => ({
  apiVersion: kind === 'VSphereClusterTemplate' ? 'infrastructure.cluster.x-k8s.io/v1beta1' : 'controlplane.cluster.x-k8s.io/v1beta1',
  kind,
  matchResources: { [match]: true },
});

/** v1beta2 shape (templateRef), its VIP in the object variable apiServerVip's `address`, by valueFrom.variable. */
const v1beta2Class = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'ClusterClass',
  metadata: { name: 'vip-class', namespace: 'default' },
  spec: {
    infrastructure: { templateRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'VSphereClusterTemplate', name: 'vip-class' } },
    controlPlane: { templateRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlaneTemplate', name: 'vip-class' } },
    patches: [
      {
        name: 'endpoint',
        definitions: [
          {
            selector: selector('VSphereClusterTemplate', 'infrastructureCluster'),
            jsonPatches: [{ op: 'add', path: '/spec/template/spec/controlPlaneEndpoint/host', valueFrom: { variable: 'apiServerVip.address' } }],
          },
        ],
      },
    ],
  },
};

/** v1beta1 shape (ref), its VIP in the object variable lbEndpoint's `ip`, by a Go template into kube-vip's manifest. */
const v1beta1Class = {
  apiVersion: 'cluster.x-k8s.io/v1beta1',
  kind: 'ClusterClass',
  metadata: { name: 'legacy-class', namespace: 'default' },
  spec: {
    infrastructure: { ref: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'VSphereClusterTemplate', name: 'legacy-class' } },
    controlPlane: { ref: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlaneTemplate', name: 'legacy-class' } },
    patches: [
      {
        name: 'kube-vip',
        definitions: [
          {
            selector: selector('KubeadmControlPlaneTemplate', 'controlPlane'),
            jsonPatches: [
              {
                op: 'add',
                path: '/spec/template/spec/kubeadmConfigSpec/files/-',
                valueFrom: {
                  template:
                    'path: /etc/kubernetes/manifests/kube-vip.yaml\ncontent: |\n  apiVersion: v1\n  kind: Pod\n  metadata:\n    name: kube-vip\n  spec:\n    containers:\n    - name: kube-vip\n      image: ghcr.io/kube-vip/kube-vip:v1.0.1\n      env:\n      - name: address\n        value: "{{ .lbEndpoint.ip }}"\n',
                },
              },
            ],
          },
        ],
      },
    ],
  },
};

const cluster = (name: string, topology: string, variable: string, field: string) => `apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata:
  name: ${name}
  namespace: default
spec:
  topology:
    ${topology}
    version: v1.30.0
    variables:
    - name: ${variable}
      value:
        ${field}: 10.80.0.5
`;

const started: { b: Backend; lsp?: LspClient }[] = [];
after(async () => {
  for (const s of started) {
    await s.lsp?.stop();
    await s.b.stop();
  }
});

/** The line and character range of `needle` in `text` (its only occurrence after `after`). */
function rangeOf(text: string, needle: string, after = '') {
  const start = text.indexOf(needle, text.indexOf(after));
  const line = text.slice(0, start).split('\n').length - 1;
  const character = start - text.lastIndexOf('\n', start - 1) - 1;
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

for (const { name, skip } of backendNames()) {
  test(
    `ClusterClasses from the management cluster on the ${name} backend: v1beta1 and v1beta2, places in the Cluster's file`,
    { skip, timeout: 300_000 },
    async () => {
      const b = await startBackend(name);
      const s: { b: Backend; lsp?: LspClient } = { b };
      started.push(s);
      await b.create(v1beta2Class);
      await b.create(v1beta1Class);
      const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-cc-'));
      const a = join(dir, 'a.yaml');
      const legacy = join(dir, 'legacy.yaml');
      writeFileSync(a, cluster('a', 'classRef:\n      name: vip-class', 'apiServerVip', 'address'));
      writeFileSync(legacy, cluster('legacy', 'class: legacy-class', 'lbEndpoint', 'ip'));
      const lsp = (s.lsp = await LspClient.start({ folder: dir, settings: { kubeconfig: b.kubeconfigPath } }));
      await lsp.waitForState('connected', 60_000);
      const [ua, ul] = [pathToFileURL(a).href, pathToFileURL(legacy).href];
      // The two Clusters share 10.80.0.5: each value is reported where it is written, naming the other.
      const [da] = await lsp.waitForDiagnostic(ua, 'duplicate-ip', 30_000);
      const [dl] = await lsp.waitForDiagnostic(ul, 'duplicate-ip', 30_000);
      const textA = readFileSync(a, 'utf8');
      const textL = readFileSync(legacy, 'utf8');
      assert.deepEqual(da!.range, rangeOf(textA, '10.80.0.5'));
      assert.deepEqual(dl!.range, rangeOf(textL, '10.80.0.5'));
      assert.equal(da!.message, '10.80.0.5 is also the VIP of cluster default/legacy: two clusters would fight over the address.');
      const hover = await lsp.hover(ua, rangeOf(textA, '10.80.0.5').start);
      // Markdown: the parentheses of the label are escaped.
      const md = (hover?.contents as { value: string }).value;
      assert.equal(
        md.split('\n\n')[0],
        '**10.80.0.5** — Cluster a topology variable apiServerVip.address \\(ClusterClass default/vip-class read from the management cluster\\)',
      );
      const hoverL = await lsp.hover(ul, rangeOf(textL, '10.80.0.5').start);
      assert.equal(
        (hoverL?.contents as { value: string }).value.split('\n\n')[0],
        '**10.80.0.5** — Cluster legacy topology variable lbEndpoint.ip \\(ClusterClass default/legacy-class read from the management cluster\\)',
      );
      // The class deleted in the cluster: Cluster a has no VIP place any more, so nothing is shared.
      const del = await b.rest.delete('cluster.x-k8s.io/v1beta2', 'ClusterClass', 'default', 'vip-class');
      assert.equal(del.status, 200);
      await lsp.waitFor(
        () => lsp.diagnosticsOf(ua, 'duplicate-ip').length === 0 && lsp.diagnosticsOf(ul, 'duplicate-ip').length === 0,
        30_000,
        'no duplicate-ip',
      );
    },
  );
}
