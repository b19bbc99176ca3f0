// Line endings as LSP counts them (`\r\n`, `\r`, `\n`; never U+2028/U+2029): every range covers
// exactly the address, and "Make VIP consistent" rewrites exactly the address. Positions are
// read back with vscode-languageserver-textdocument, the reference implementation, not ours.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { LspClient } from '../support/lspClient';

const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-eol-'));
let lsp: LspClient;
before(async () => {
  lsp = await LspClient.start({ folder: dir, settings: { offline: true } });
});
after(async () => {
  await lsp.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A cluster (certSANs hold both addresses: the fix adds none) whose kube-vip manifest (a block literal) disagrees with its endpoint; `note` goes into comments. */
function file(i: number, br: string, note: string): string {
  const name = `c${i}`;
  return [
    `# ${note}`,
    'apiVersion: cluster.x-k8s.io/v1beta1',
    'kind: Cluster',
    'metadata:',
    `  name: ${name}`,
    '  namespace: default',
    'spec:',
    '  controlPlaneEndpoint:',
    `    host: 10.10.${i}.20 # ${note}`,
    '    port: 6443',
    '  controlPlaneRef:',
    '    apiVersion: controlplane.cluster.x-k8s.io/v1beta1',
    '    kind: KubeadmControlPlane',
    `    name: ${name}`,
    '---',
    'apiVersion: controlplane.cluster.x-k8s.io/v1beta1',
    'kind: KubeadmControlPlane',
    'metadata:',
    `  name: ${name}`,
    '  namespace: default',
    'spec:',
    '  kubeadmConfigSpec:',
    '    clusterConfiguration:',
    '      apiServer:',
    `        certSANs: [10.10.${i}.20, 10.10.${i}.21]`,
    '    files:',
    '    - path: /etc/kubernetes/manifests/kube-vip.yaml',
    '      content: |',
    '        apiVersion: v1',
    '        kind: Pod',
    `        # ${note}`,
    '        spec:',
    '          containers:',
    '          - name: kube-vip',
    '            env:',
    '            - name: address',
    `              value: 10.10.${i}.21`,
    '',
  ].join(br);
}

const cases: [string, string, string, ((t: string) => string)?][] = [
  ['LF', '\n', 'plain'],
  ['CRLF', '\r\n', 'plain'],
  ['lone CR', '\r', 'plain'],
  // Some lines ended by a lone CR, among them the one before the address (the reported corruption).
  ['LF with some lone CR line ends', '\n', 'plain', (t) => t.replace('\n', '\r').replace('\n            - name: address\n', '\r            - name: address\r')],
  ['CRLF with U+2028 and U+2029 inside comments', '\r\n', 'a\u2028b\u2029c'],
  ['lone CR with U+2028 inside comments', '\r', 'x\u2028y'],
];

cases.forEach(([name, br, note, mix], i) => {
  test(`${name}: exact ranges, and "Make VIP consistent" changes only the address`, async () => {
    const uri = pathToFileURL(join(dir, `c${i}.yaml`)).toString();
    const text = (mix ?? String)(file(i, br, note));
    const [host, kv] = [`10.10.${i}.20`, `10.10.${i}.21`];
    lsp.open(uri, text);
    const doc = TextDocument.create(uri, 'yaml', 1, text);
    const [mismatch] = await lsp.waitForDiagnostic(uri, 'vip-mismatch');
    assert.equal(lsp.diagnosticsOf(uri).length, 1, JSON.stringify(lsp.diagnosticsOf(uri)));
    assert.equal(doc.getText(mismatch!.range), kv);
    assert.deepEqual(
      mismatch!.relatedInformation!.map((r) => doc.getText(r.location.range)),
      [host],
    );
    const actions = await lsp.codeActions(uri, mismatch!.range, [mismatch!]);
    for (const [use, from, to] of [
      [host, `value: ${kv}`, `value: ${host}`],
      [kv, `host: ${host}`, `host: ${kv}`],
    ]) {
      const fix = actions.find((a) => a.title === `Make VIP consistent: use ${use}`);
      assert.ok(fix, actions.map((a) => a.title).join(', '));
      const edits = (fix.edit!.documentChanges as TextDocumentEdit[]).flatMap((c) => c.edits as TextEdit[]);
      assert.equal(TextDocument.applyEdits(doc, edits), text.replace(from!, to!));
    }
    lsp.close(uri);
  });
});
