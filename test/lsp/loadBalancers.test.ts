// LoadBalancer Services over LSP on a copy of test/fixtures/workspace/: hover on a Service IP, the Load balancers and
// kube-vip ranges views as the kube-vip cloud provider computes them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient } from '../support/lspClient';
import { copyFixture } from '../support/workspaceCopy';
import type { KubeVipRangeView, ServiceView } from '../../server/src/protocol';

const ws = copyFixture();
let lsp: LspClient;
const services = ws.uri('services/ingress.yaml');

before(async () => {
  lsp = await LspClient.start({ folder: ws.dir, settings: { offline: true } });
});
after(async () => {
  await lsp.stop();
  ws.dispose();
});

test('hover on a Service IP: the range its namespace draws from, and who else uses the address', async () => {
  lsp.open(services);
  const [conflict] = await lsp.waitForDiagnostic(services, 'lb-ip-conflict');
  assert.equal(lsp.textAt(services, conflict!.range), '10.10.0.61');
  const h = await lsp.hover(services, conflict!.range.start);
  const value = (h?.contents as { value: string }).value;
  assert.equal(value.split('\n\n')[0], '**10.10.0.61** — Service default/grafana');
  assert.equal(value.split('\n\n')[1], 'Comes from kube-vip range cidr-global 10.10.2.0/27 (namespace default) — **outside it**');
  assert.match(value, /Also uses it:\n\nPool \*\*GlobalInClusterIPPool vip-pool\*\*/);
  assert.match(value, /VIP of cluster \*\*default\/staging\*\*/);
  assert.doesNotMatch(value, /LoadBalancer IP of Service \*\*default\/grafana\*\*/, 'the Service itself is not "someone else"');
  lsp.close(services);
});

test("views: the range each Service draws from; each range entry with the provider's total, used, free and next address", async () => {
  const list = await lsp.request<ServiceView[]>('capiIpam/loadBalancers');
  const grafana = list.find((s) => s.name === 'grafana')!;
  assert.equal(grafana.range, 'cidr-global 10.10.2.0/27');
  assert.equal(grafana.inRange, false);
  const ingress = list.find((s) => s.name === 'ingress-nginx')!;
  assert.deepEqual([ingress.range, ingress.inRange], ['cidr-global 10.10.2.0/27', true]);
  const ranges = await lsp.request<KubeVipRangeView[]>('capiIpam/kubeVipRanges');
  assert.deepEqual(
    ranges.map((r) => [r.key, r.entry, r.size, r.used, r.free, r.firstFree, r.users]),
    [
      ['cidr-global', '10.10.2.0/27', '31', '1', '30', '10.10.2.1', ['ingress/ingress-nginx']],
      ['range-default', '10.10.0.60-10.10.0.63', '4', '1', '3', '10.10.0.60', ['default/grafana']],
      ['range-default', '10.10.2.100-10.10.2.120', '21', '0', '21', '10.10.2.100', []],
    ],
  );
});

test('hover escapes names from files before they reach markdown', async () => {
  const file = join(ws.dir, 'services/evil.yaml');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Service
metadata:
  name: "[x](command:workbench.action.quit)"
  namespace: default
  annotations:
    kube-vip.io/loadbalancerIPs: 10.10.2.9
spec:
  type: LoadBalancer
`,
  );
  const uri = ws.uri('services/evil.yaml');
  lsp.open(uri);
  const h = await lsp.hover(uri, { line: 6, character: 34 });
  const text = (h?.contents as { value: string }).value;
  assert.equal(text.split('\n\n')[0], '**10.10.2.9** — Service default/\\[x\\]\\(command:workbench.action.quit\\)');
  assert.equal(text.split('\n\n')[1], 'Comes from kube-vip range cidr-global 10.10.2.0/27 (namespace default)');
  lsp.close(uri);
});

test('the policy request returns the admission policy built from the workspace pools', async () => {
  const vap = await lsp.request<{ yaml: string; notes: string[] }>('capiIpam/policy', { format: 'vap' });
  assert.deepEqual(
    [...vap.yaml.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]),
    ['ConfigMap', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
  );
  assert.ok(vap.notes.includes('VIP pool GlobalInClusterIPPool vip-pool: 42 allocatable address(es)'), vap.notes.join('\n'));
  const kyverno = await lsp.request<{ yaml: string }>('capiIpam/policy', { format: 'kyverno' });
  assert.match(kyverno.yaml, /^kind: ClusterPolicy$/m);
});
