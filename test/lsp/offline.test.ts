// The language server as a child process over stdio, on a copy of test/fixtures/workspace/, with no cluster.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient, applyTextEdits, messageOf } from '../support/lspClient';
import { copyFixture } from '../support/workspaceCopy';

const ws = copyFixture();
let lsp: LspClient;
const prod = ws.uri('clusters/prod.yaml');
const staging = ws.uri('clusters/staging.yaml');
const lab = ws.uri('clusters/lab.yaml');
const pools = ws.uri('ipam/pools.yaml');

before(async () => {
  lsp = await LspClient.start({ folder: ws.dir, settings: { offline: true } });
});
after(async () => {
  await lsp.stop();
  ws.dispose();
});

test('publishes diagnostics for workspace files that are not open, on the exact characters', async () => {
  const [mismatch] = await lsp.waitForDiagnostic(prod, 'vip-mismatch');
  assert.equal(lsp.textAt(prod, mismatch!.range), '10.10.0.21');
  assert.equal(mismatch!.source, 'capi-ipam');
  assert.match(messageOf(mismatch!), /2 other places say "10\.10\.0\.20"/);
  assert.equal(mismatch!.relatedInformation?.length, 2);
  const dup = await lsp.waitForDiagnostic(staging, 'duplicate-ip');
  // One problem, one entry: at the VSphereCluster endpoint, not once per VIP place.
  assert.equal(dup.length, 1);
  assert.equal(lsp.textAt(staging, dup[0]!.range), '10.10.0.61');
  assert.equal(dup[0]!.range.start.line, 30);
  assert.match(messageOf(dup[0]!), /Service default\/grafana/);
  // The kube-vip manifest's address is the same problem: related information, not a second entry.
  assert.ok(
    dup[0]!.relatedInformation!.some(
      (r) => r.location.uri === staging && r.location.range.start.line === 85 && lsp.textAt(staging, r.location.range) === '10.10.0.61',
    ),
  );
  assert.deepEqual(
    lsp
      .diagnosticsOf(staging)
      .map((d) => d.code)
      .sort(),
    ['duplicate-ip', 'lb-range-overlap'],
  );
  const [stale] = await lsp.waitForDiagnostic(prod, 'stale-certsan');
  assert.equal(lsp.textAt(prod, stale!.range), '10.10.0.17');
  const [typo] = await lsp.waitForDiagnostic(pools, 'invalid-pool');
  assert.equal(lsp.textAt(pools, typo!.range), 'excludeAddresses');
  assert.equal(lsp.states.at(-1)?.state, 'offline');
});

test('"Make VIP consistent" rewrites the embedded kube-vip manifest and the diagnostic clears', async () => {
  lsp.open(prod);
  const [mismatch] = await lsp.waitForDiagnostic(prod, 'vip-mismatch');
  const actions = await lsp.codeActions(prod, mismatch!.range, [mismatch!]);
  const fix = actions.find((a) => a.title === 'Make VIP consistent: use 10.10.0.20');
  assert.ok(fix, actions.map((a) => a.title).join(', '));
  assert.equal(fix.isPreferred, true);
  const before = lsp.textOf(prod);
  lsp.applyWorkspaceEdit(fix.edit!);
  const afterText = lsp.textOf(prod);
  assert.equal(afterText.length, before.length);
  assert.equal(afterText.replace('value: 10.10.0.20\n', 'value: 10.10.0.21\n'), before);
  await lsp.waitFor(() => lsp.diagnosticsOf(prod, 'vip-mismatch').length === 0, 5000, 'mismatch cleared');
  lsp.close(prod);
});

test('malformed YAML gives one clear diagnostic and the server keeps serving; templates are never invalid IPs', async () => {
  const uri = ws.uri('clusters/scratch.yaml');
  lsp.open(uri, 'apiVersion: v1\nkind: [unclosed\n');
  const [syntax] = await lsp.waitForDiagnostic(uri, 'yaml-syntax');
  assert.equal(syntax!.severity, 1);
  const templated = lsp.textOf(lab).replaceAll('host: ""', 'host: ${CONTROL_PLANE_ENDPOINT_IP}').replace('value: ""', 'value: "{{ .Values.vip }}"');
  lsp.change(uri, templated);
  await lsp.waitFor(() => lsp.diagnosticsOf(uri, 'yaml-syntax').length === 0, 5000, 'syntax error cleared');
  assert.equal(lsp.diagnosticsOf(uri, 'invalid-ip').length, 0);
  lsp.change(uri, templated.replace('${CONTROL_PLANE_ENDPOINT_IP}', '10.10.0.256'));
  const [invalid] = await lsp.waitForDiagnostic(uri, 'invalid-ip');
  assert.equal(lsp.textAt(uri, invalid!.range), '10.10.0.256');
  assert.match(messageOf(invalid!), /IPv4 field has value >255/);
  lsp.close(uri);
  assert.equal(lsp.exited, null);
});

test('hover on a VIP names its pool and usage', async () => {
  lsp.open(prod);
  const [stale] = await lsp.waitForDiagnostic(prod, 'stale-certsan');
  const h = await lsp.hover(prod, stale!.range.start);
  const value = (h?.contents as { value: string }).value;
  assert.match(value, /\*\*10\.10\.0\.17\*\*/);
  assert.match(value, /GlobalInClusterIPPool vip-pool/);
  assert.match(value, /used of 42/);
  lsp.close(prod);
});

test('completion in an empty endpoint host offers the next free addresses of the pools', async () => {
  lsp.open(lab);
  const [missing] = await lsp.waitForDiagnostic(lab, 'missing-vip');
  const items = await lsp.completion(lab, missing!.range.start);
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('10.10.3.10'), labels.join(', '));
  assert.equal(labels.includes('10.10.1.2'), false, 'a namespaced pool of another namespace is not offered');
  assert.match(items.find((i) => i.label === '10.10.0.16')!.detail!, /vip-pool/);
});

test('offline "Use next free address" writes one address into every VIP place and adds the certSAN', async () => {
  const [missing] = await lsp.waitForDiagnostic(lab, 'missing-vip');
  const actions = await lsp.codeActions(lab, missing!.range, [missing!]);
  const fix = actions.find((a) => a.title.startsWith('Use next free address of pool lab-pool'));
  assert.ok(fix, actions.map((a) => a.title).join(', '));
  assert.match(fix.title, /10\.10\.3\.10 \(not reserved\)/);
  const text = applyTextEdits(lsp.textOf(lab), (fix.edit!.documentChanges![0] as unknown as { edits: never[] }).edits);
  assert.equal(text.match(/10\.10\.3\.10/g)?.length, 4); // Cluster, VSphereCluster, kube-vip address, certSANs
  assert.match(text, /apiServer:\n\s+certSANs:\n\s+- 10\.10\.3\.10/);
  lsp.close(lab);
});

test('tree requests list workspace pools with usage, Services and kube-vip ranges', async () => {
  const list = await lsp.request<{ id: string; total: string; used: string; firstFree?: string; allocations: { address: string }[] }[]>('capiIpam/pools');
  const vip = list.find((p) => p.id === 'GlobalInClusterIPPool//vip-pool')!;
  assert.equal(vip.total, '42');
  assert.deepEqual(
    vip.allocations.map((a) => a.address).sort(),
    ['10.10.0.17', '10.10.0.20', '10.10.0.21', '10.10.0.30', '10.10.0.40', '10.10.0.61'].filter((x) => x !== '10.10.0.17'),
  );
  const services = await lsp.request<{ name: string; conflicts: string[] }[]>('capiIpam/loadBalancers');
  assert.match(services.find((s) => s.name === 'grafana')!.conflicts.join(), /VIP of cluster default\/staging/);
  const ranges = await lsp.request<{ key: string; size: string }[]>('capiIpam/kubeVipRanges');
  assert.deepEqual(
    ranges.map((r) => `${r.key}:${r.size}`),
    ['cidr-global:31', 'range-default:4', 'range-default:21'],
  ); // the provider never hands out 10.10.2.0
});

test('untrusted workspace: the kubeconfig (which could run an exec plugin) is never read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-kc-'));
  const marker = join(dir, 'exec-ran');
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: /bin/sh, args: ["-c", "touch ${marker}"]}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  );
  const untrusted = await LspClient.start({ folder: ws.dir, trusted: false, settings: { kubeconfig }, env: { KUBECONFIG: kubeconfig } });
  try {
    await untrusted.waitForState('untrusted');
    await untrusted.waitForDiagnostic(prod, 'vip-mismatch'); // offline checks still work
    await assert.rejects(
      untrusted.request('capiIpam/allocate', {
        uri: lab,
        cluster: { name: 'lab', namespace: 'lab' },
        pool: { kind: 'GlobalInClusterIPPool', name: 'vip-pool' },
      }),
      /Restricted Mode/,
    );
    assert.equal(existsSync(marker), false);
  } finally {
    await untrusted.stop();
  }
});

test('capiIpam.include/exclude: excluded files are no longer scanned', async () => {
  const [dup] = await lsp.waitForDiagnostic(staging, 'duplicate-ip');
  assert.ok(dup);
  lsp.changeSettings({ exclude: ['**/services/**'] });
  await lsp.waitFor(() => lsp.diagnosticsOf(staging, 'duplicate-ip').length === 0, 10_000, 'duplicate-ip gone once services/ is excluded');
  lsp.changeSettings({ exclude: ['**/node_modules/**'] });
  await lsp.waitForDiagnostic(staging, 'duplicate-ip');
});

test('a cluster split over two files: "Make VIP consistent" edits the other file (unopened: version null)', async () => {
  writeFileSync(
    join(ws.dir, 'clusters', 'split-cluster.yaml'),
    'apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: split\nspec:\n  controlPlaneEndpoint:\n    host: 10.10.0.44\n  infrastructureRef:\n    kind: VSphereCluster\n    name: split\n',
  );
  writeFileSync(
    join(ws.dir, 'clusters', 'split-infra.yaml'),
    'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: VSphereCluster\nmetadata:\n  name: split\nspec:\n  controlPlaneEndpoint:\n    host: 10.10.0.45\n',
  );
  const a = ws.uri('clusters/split-cluster.yaml');
  const b = ws.uri('clusters/split-infra.yaml');
  await lsp.rpc.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [
      { uri: a, type: 1 },
      { uri: b, type: 1 },
    ],
  });
  const [mismatch] = await lsp.waitForDiagnostic(b, 'vip-mismatch');
  const actions = await lsp.codeActions(b, mismatch!.range, [mismatch!]);
  const fix = actions.find((x) => x.title === 'Make VIP consistent: use 10.10.0.45')!;
  const changed = (fix.edit!.documentChanges as { textDocument: { uri: string; version: number | null } }[]).map((c) => c.textDocument);
  assert.deepEqual(changed, [{ uri: a, version: null }]);
  const other = actions.find((x) => x.title === 'Make VIP consistent: use 10.10.0.44')!;
  lsp.applyWorkspaceEdit(other.edit!);
  await lsp.waitFor(
    () => lsp.diagnosticsOf(b, 'vip-mismatch').length === 0 && lsp.diagnosticsOf(a, 'vip-mismatch').length === 0,
    10_000,
    'split mismatch cleared',
  );
  assert.match(lsp.textOf(b), /host: 10\.10\.0\.44/);
});

test("pool YAML request: only that pool's document, named by its file", async () => {
  await lsp.waitForDiagnostic(pools, 'invalid-pool'); // the workspace scan is done
  const text = await lsp.request<string>('capiIpam/poolYaml', { id: 'InClusterIPPool/lab/lab-pool' });
  assert.match(text, /^# file:.*ipam\/pools\.yaml\napiVersion: ipam\.cluster\.x-k8s\.io\/v1alpha2\nkind: InClusterIPPool\nmetadata:\n  name: lab-pool\n/);
  assert.doesNotMatch(text, /vip-pool|node-pool/);
  await assert.rejects(lsp.request('capiIpam/poolYaml', { id: 'InClusterIPPool/x/nope' }), /unknown pool/);
});

test("cluster-at request: the cluster the cursor is in, by the server's rules; null outside any cluster", async () => {
  await lsp.waitForDiagnostic(pools, 'invalid-pool'); // the workspace scan is done
  // Line 39 is `kind: KubeadmControlPlane` of staging's KCP document (0-based).
  assert.equal(lsp.textAt(staging, { start: { line: 39, character: 6 }, end: { line: 39, character: 25 } }), 'KubeadmControlPlane');
  assert.deepEqual(await lsp.request('capiIpam/clusterAt', { uri: staging, position: { line: 39, character: 8 } }), { name: 'staging', namespace: 'default' });
  assert.equal(await lsp.request('capiIpam/clusterAt', { uri: pools, position: { line: 2, character: 0 } }), null);
});
