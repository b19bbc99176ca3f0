// The language server over stdio on a Talos cluster (issue 21), among the raw corpus templates: the
// mismatch is published at the exact characters, the hover says which mechanism holds the VIP, and
// the quick fix rewrites only the address.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { LspClient, applyTextEdits, messageOf } from '../support/lspClient';
import { copyFixture } from '../support/workspaceCopy';
import { VIP, envsubst, readCorpus } from '../support/corpus';

const ws = copyFixture('test/fixtures/corpus');
const talos = envsubst(readCorpus('talos-vip.yaml'), envVars()).replace(`vip:\n              ip: ${VIP}`, 'vip:\n              ip: 10.20.30.41');
let lsp: LspClient;

function envVars(): Record<string, string> {
  return {
    CLUSTER_NAME: 'tls',
    NAMESPACE: 'default',
    KUBERNETES_VERSION: 'v1.30.2',
    CONTROL_PLANE_MACHINE_COUNT: '3',
    CONTROL_PLANE_ENDPOINT_IP: VIP,
    TALOS_VERSION: 'v1.9',
    CONTROL_PLANE_SERVERCLASS: 'cp',
  };
}

before(async () => {
  writeFileSync(join(ws.dir, 'talos-lab.yaml'), talos);
  lsp = await LspClient.start({ folder: ws.dir, settings: { offline: true } });
});
after(async () => {
  await lsp.stop();
  ws.dispose();
});

test('a Talos VIP that disagrees: one diagnostic at the address, a hover naming Talos, a fix that rewrites only it', async () => {
  const uri = ws.uri('talos-lab.yaml');
  lsp.open(uri, talos);
  const [mismatch, ...more] = await lsp.waitForDiagnostic(uri, 'vip-mismatch');
  assert.equal(more.length, 0);
  assert.equal(lsp.textAt(uri, mismatch!.range), '10.20.30.41');
  assert.match(
    messageOf(mismatch!),
    /^VIP mismatch in cluster default\/tls: Talos VIP machine\.network\.interfaces\.\*\.vip\.ip \(TalosControlPlane tls-cp controlplane configPatches\[0\] \/machine\/network\) is "10\.20\.30\.41"/,
  );
  const h = await lsp.hover(uri, mismatch!.range.start);
  assert.match((h?.contents as { value: string }).value, /Held on the control-plane nodes by Talos' own VIP \(no kube-vip\)/);
  const actions = await lsp.codeActions(uri, mismatch!.range, [mismatch!]);
  const fix = actions.find((a) => a.title === `Make VIP consistent: use ${VIP}`)!;
  const edits = (fix.edit!.documentChanges as TextDocumentEdit[]).flatMap((c) => c.edits as TextEdit[]);
  assert.deepEqual(
    edits.map((e) => [lsp.textAt(uri, e.range), e.newText]),
    [['10.20.30.41', VIP]],
  );
  assert.equal(applyTextEdits(talos, edits), talos.replace('ip: 10.20.30.41', `ip: ${VIP}`));
  lsp.close(uri);
});
