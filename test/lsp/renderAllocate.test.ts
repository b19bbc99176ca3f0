// "Allocate IP from pool …" in a chart's values file, against the sandbox: the claim is made, the
// address lands in the values key, and the chart renders it everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/index';
import { LspClient } from '../support/lspClient';
import { copyFixture } from '../support/workspaceCopy';
import { renderToolsOr } from '../support/renderTools';

const G = 'ipam.cluster.x-k8s.io';

test('live allocation from a values file writes the values key', async (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const ws = copyFixture('test/fixtures/helm');
  rmSync(join(ws.dir, 'pools.yaml')); // the live pool only
  const sb = await startSandbox({ kubeconfig: join(mkdtempSync(join(tmpdir(), 'capi-ipam-helm-lsp-')), 'kubeconfig') });
  sb.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'clusters' } });
  sb.create({
    apiVersion: `${G}/v1alpha2`,
    kind: 'GlobalInClusterIPPool',
    metadata: { name: 'chart-vips' },
    spec: { addresses: ['10.20.0.50-10.20.0.52'], prefix: 24 },
  });
  const lsp = await LspClient.start({
    folder: ws.dir,
    settings: {
      kubeconfig: sb.kubeconfigPath,
      helm: { path: tools.helm, charts: [{ chart: 'vsphere-cluster', values: ['values-new.yaml'] }] },
      allocate: { timeoutSeconds: 10, writeClaim: true },
    },
  });
  t.after(async () => {
    await lsp.stop();
    await sb.stop();
    ws.dispose();
  });
  await lsp.waitForState('connected');
  const values = ws.uri('values-new.yaml');
  const [missing] = await lsp.waitForDiagnostic(values, 'missing-vip', 60_000);
  const actions = await lsp.codeActions(values, missing!.range, [missing!]);
  const alloc = actions.find((a) => a.title === 'Allocate IP from pool chart-vips (3 free)');
  assert.ok(alloc?.command, actions.map((a) => a.title).join(', '));
  // As the extension sends it: the action's target, with the pool it names.
  const { uri, cluster } = alloc.command.arguments![0] as { uri: string; cluster: { name: string; namespace: string } };
  assert.deepEqual(cluster, { name: 'wl-new', namespace: 'clusters' });
  const result = (await lsp.rpc.sendRequest('capiIpam/allocate', { uri, cluster, pool: { kind: 'GlobalInClusterIPPool', name: 'chart-vips' } })) as {
    address: string;
  };
  assert.equal(result.address, '10.20.0.50');
  assert.match(readFileSync(join(ws.dir, 'values-new.yaml'), 'utf8'), /^    host: "10\.20\.0\.50"$/m);
  assert.equal(sb.get(G, 'IPAddress', 'clusters', 'wl-new-control-plane-vip')?.spec.address, '10.20.0.50');
  await lsp.waitFor(() => lsp.diagnosticsOf(values).length === 0, 60_000, 'the chart renders the allocated address everywhere');
});
