// The language server over stdio renders a Helm chart and a Kustomize overlay (real helm and
// kustomize) and reports at the values key and the patch line; in Restricted Mode nothing is rendered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient, messageOf } from '../support/lspClient';
import { copyFixture } from '../support/workspaceCopy';
import { renderToolsOr } from '../support/renderTools';

function workspace() {
  const ws = copyFixture('test/fixtures');
  // One overlay and one pools file: the staging overlay is the same cluster as prod.
  rmSync(join(ws.dir, 'kustomize/overlays/staging'), { recursive: true });
  rmSync(join(ws.dir, 'kustomize/pools.yaml'));
  // Only the chart and the overlay: other fixtures hold clusters and Services with the same addresses.
  for (const name of readdirSync(ws.dir)) if (name !== 'helm' && name !== 'kustomize') rmSync(join(ws.dir, name), { recursive: true });
  return ws;
}

test('trusted: findings at the values key and the patch line; the quick fix edits the values file', async (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const ws = workspace();
  const lsp = await LspClient.start({
    folder: ws.dir,
    settings: {
      offline: true,
      helm: {
        path: tools.helm,
        charts: [
          { chart: 'helm/vsphere-cluster', values: ['helm/values-mismatch.yaml'] },
          { chart: 'helm/vsphere-cluster', values: ['helm/values-new.yaml'] },
        ],
      },
      kustomize: { command: tools.kustomize.join(' ') },
    },
  });
  t.after(async () => {
    await lsp.stop();
    ws.dispose();
  });
  const values = ws.uri('helm/values-mismatch.yaml');
  const patch = ws.uri('kustomize/overlays/prod/vspherecluster-vip.yaml');
  const [mismatch] = await lsp.waitForDiagnostic(values, 'vip-mismatch', 60_000);
  assert.equal(lsp.textAt(values, mismatch!.range), '10.20.0.11');
  assert.deepEqual(mismatch!.range.start, { line: 2, character: 11 });
  const [moved] = await lsp.waitForDiagnostic(patch, 'vip-mismatch', 60_000);
  assert.equal(lsp.textAt(patch, moved!.range), '10.20.0.21');
  assert.match(messageOf(moved!), /VSphereCluster wl-kust .* is "10\.20\.0\.21", but 2 other places say "10\.20\.0\.20"/);
  // Nothing is reported on the inputs as plain YAML (the base is only checked through the overlay).
  // (Their earlier plain-YAML diagnostics are cleared in the same publication, just after.)
  const inputs = ['kustomize/base/cluster.yaml', 'helm/vsphere-cluster/templates/cluster.yaml', 'helm/vsphere-cluster/templates/kubeadmcontrolplane.yaml'].map(
    ws.uri,
  );
  await lsp.waitFor(() => inputs.every((u) => lsp.diagnosticsOf(u).length === 0), 10_000, 'no diagnostics on the inputs');

  lsp.open(values);
  const actions = await lsp.codeActions(values, mismatch!.range, [mismatch!]);
  const fix = actions.find((a) => a.title === 'Make VIP consistent: use 10.20.0.10');
  assert.ok(fix, actions.map((a) => a.title).join(', '));
  const uris = (fix.edit!.documentChanges as { textDocument: { uri: string } }[]).map((c) => c.textDocument.uri);
  assert.deepEqual(uris, [values]);
  lsp.applyWorkspaceEdit(fix.edit!);
  assert.match(lsp.textOf(values), /^  address: 10\.20\.0\.10$/m);
  // The unsaved editor text is rendered: the finding goes away.
  await lsp.waitFor(() => lsp.diagnosticsOf(values, 'vip-mismatch').length === 0, 60_000, 'mismatch cleared after the fix');
});

test('untrusted: no chart or overlay is rendered, helm is never run; trusting renders', async (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const ws = workspace();
  // A helm that leaves a mark when it runs.
  const mark = join(ws.dir, 'helm-ran');
  const trap = join(ws.dir, 'trap-helm.sh');
  writeFileSync(trap, `#!/bin/sh\ntouch '${mark}'\nexit 3\n`);
  chmodSync(trap, 0o755);
  const lsp = await LspClient.start({
    folder: ws.dir,
    trusted: false,
    settings: { offline: true, helm: { path: trap }, kustomize: { command: tools.kustomize.join(' ') } },
  });
  t.after(async () => {
    await lsp.stop();
    ws.dispose();
  });
  await lsp.waitFor(
    () => lsp.logs.some((l) => l.includes('Restricted Mode: Helm charts and Kustomize overlays are not rendered')),
    20_000,
    'the render step in Restricted Mode',
  );
  assert.equal(existsSync(mark), false);
  // The files are still checked as plain YAML, but no cluster of the overlay (namespace `clusters`) exists.
  const rendered = () => [...lsp.diagnostics.values()].flat().filter((d) => messageOf(d).includes('clusters/wl-kust'));
  assert.deepEqual(rendered(), []);
  await lsp.rpc.sendNotification('capiIpam/trustChanged', { trusted: true });
  const [failed] = await lsp.waitForDiagnostic(ws.uri('helm/vsphere-cluster/Chart.yaml'), 'render-failed', 60_000);
  assert.match(messageOf(failed!), /^helm template failed, so the clusters it renders are not checked: exit code 3/);
  assert.equal(existsSync(mark), true);
  await lsp.waitFor(() => rendered().length > 0, 60_000, 'the overlay rendered once trusted');
});

test('trusted: the offline allocation quick fix on a chart writes the values key', async (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const ws = workspace();
  const lsp = await LspClient.start({
    folder: ws.dir,
    settings: {
      offline: true,
      helm: { path: tools.helm, charts: [{ chart: 'helm/vsphere-cluster', values: ['helm/values-new.yaml'] }] },
      kustomize: { command: tools.kustomize.join(' ') },
    },
  });
  t.after(async () => {
    await lsp.stop();
    ws.dispose();
  });
  const values = ws.uri('helm/values-new.yaml');
  const [missing] = await lsp.waitForDiagnostic(values, 'missing-vip', 60_000);
  assert.deepEqual(missing!.range, { start: { line: 3, character: 11 }, end: { line: 3, character: 11 } });
  const actions = await lsp.codeActions(values, missing!.range, [missing!]);
  const fix = actions.find((a) => a.title === 'Use next free address of pool vips: 10.20.0.10 (not reserved · VIP pool)');
  assert.ok(fix, actions.map((a) => a.title).join(', '));
  assert.deepEqual(
    (fix.edit!.documentChanges as { textDocument: { uri: string } }[]).map((c) => c.textDocument.uri),
    [values],
  );
  lsp.applyWorkspaceEdit(fix.edit!); // on disk: the file is not open
  assert.match(lsp.textOf(values), /^    host: "10\.20\.0\.10"$/m);
  await lsp.waitFor(() => lsp.diagnosticsOf(values).length === 0, 60_000, 'the chart renders the address everywhere');
});
