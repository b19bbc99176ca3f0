// Diagnostics of the language server as VS Code shows them: source, codes, ranges, quick fix.
import * as assert from 'assert';
import * as net from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, codeOf, documentedCodes, expectedMode, ours, waitForDiagnostics, workspaceYamlFiles } from './helpers';

/** Codes whose diagnostic underlines one IP address (README: "a diagnostic underlines the address itself"). */
const ADDRESS_CODES = new Set([
  'vip-mismatch',
  'duplicate-ip',
  'ip-in-use',
  'out-of-pool',
  'reserved-ip',
  'lb-range-overlap',
  'network-overlap',
  'stale-certsan',
]);
const DIAGNOSTICS_WITHIN_MS = 20_000;

function allOurs(): [vscode.Uri, vscode.Diagnostic[]][] {
  return vscode.languages
    .getDiagnostics()
    .map(([uri, list]) => [uri, list.filter((d) => d.source === 'capi-ipam')] as [vscode.Uri, vscode.Diagnostic[]])
    .filter(([, list]) => list.length > 0);
}

function unquote(text: string): string {
  return text.replace(/^(['"])(.*)\1$/s, '$2');
}

describe('diagnostics', () => {
  const opened: vscode.TextDocument[] = [];

  before(async () => {
    await api();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it(`publishes capi-ipam diagnostics for the example clusters within ${DIAGNOSTICS_WITHIN_MS / 1000} s of opening them`, async () => {
    const files = await workspaceYamlFiles();
    assert.ok(files.length > 0, 'the workspace holds YAML files (examples/)');
    const started = Date.now();
    for (const uri of files.slice(0, 40)) {
      const document = await vscode.workspace.openTextDocument(uri);
      assert.strictEqual(document.languageId, 'yaml', `${uri.fsPath} opens as YAML`);
      opened.push(document);
    }
    await vscode.window.showTextDocument(opened[0]!, { preview: false });
    const prod = opened.find((d) => path.basename(d.uri.fsPath) === 'prod.yaml');
    const target = prod ? [prod] : opened;
    const found = await waitForDiagnostics(
      () => target.find((d) => ours(d.uri).length > 0),
      DIAGNOSTICS_WITHIN_MS,
      `capi-ipam diagnostics on ${prod ? 'prod.yaml' : 'any workspace YAML file'}`,
    );
    console.log(`    diagnostics on ${path.basename(found.uri.fsPath)} after ${Date.now() - started} ms`);
  });

  // Offline runs only: examples/README.md describes the checks against the workspace's own pools and
  // ranges; live, the cluster's pools and kube-vip ranges take their place.
  if (expectedMode() !== 'live') {
    it('shows in each example file the rules examples/README.md lists for it', async () => {
      const codes = documentedCodes();
      const folder = vscode.workspace.workspaceFolders![0]!.uri;
      const readme = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, 'README.md'))).toString('utf8');
      const expected = new Map<string, string[]>();
      for (const row of readme.split('\n').filter((line) => line.startsWith('| `'))) {
        const [file, shows] = row
          .split('|')
          .slice(1, 3)
          .map((cell) => cell.trim());
        const listed = [...(shows ?? '').matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!).filter((code) => codes.has(code));
        if (file && listed.length > 0) expected.set(file.replace(/`/g, ''), listed);
      }
      assert.ok(expected.size > 0, 'examples/README.md names files and the rule codes they show');
      for (const [file, listed] of expected) {
        const uri = vscode.Uri.joinPath(folder, file);
        if (!opened.some((d) => d.uri.toString() === uri.toString())) opened.push(await vscode.workspace.openTextDocument(uri));
        const missing = () => listed.filter((code) => !ours(uri).some((d) => codeOf(d) === code));
        await waitForDiagnostics(() => (missing().length === 0 ? true : undefined), DIAGNOSTICS_WITHIN_MS, `${file} to show ${listed.join(', ')}`).catch(
          (error: Error) => {
            throw new Error(`${error.message}; missing ${missing().join(', ')}, got ${ours(uri).map(codeOf).join(', ') || 'nothing'}`);
          },
        );
      }
    });
  }

  it('gives every capi-ipam diagnostic a code documented in the README', () => {
    const codes = documentedCodes();
    const published = allOurs();
    assert.ok(published.length > 0, 'there are capi-ipam diagnostics');
    for (const [uri, list] of published) {
      for (const diagnostic of list) {
        const code = codeOf(diagnostic);
        assert.ok(
          code && codes.has(code),
          `${path.basename(uri.fsPath)}:${diagnostic.range.start.line + 1}: code ${String(code)} is one of ${[...codes].join(', ')}`,
        );
        assert.ok(diagnostic.message.trim().length > 0, 'the diagnostic has a message');
      }
    }
  });

  it('puts each diagnostic inside its document, address rules on the address itself', async () => {
    const published = allOurs();
    assert.ok(published.length > 0, 'there are capi-ipam diagnostics');
    for (const [uri, list] of published) {
      const document = await vscode.workspace.openTextDocument(uri);
      for (const diagnostic of list) {
        const where = `${path.basename(uri.fsPath)}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1} ${codeOf(diagnostic)}`;
        assert.ok(document.validateRange(diagnostic.range).isEqual(diagnostic.range), `${where}: range lies inside the document`);
        if (ADDRESS_CODES.has(codeOf(diagnostic) ?? '')) {
          const text = unquote(document.getText(diagnostic.range));
          assert.ok(net.isIP(text) !== 0, `${where}: underlines an IP address, not ${JSON.stringify(text)}`);
        }
      }
    }
  });

  it('offers "Make VIP consistent" for a vip-mismatch and the fix rewrites every VIP place', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const uri = vscode.Uri.joinPath(folder, 'e2e-vip-mismatch.yaml');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(MISMATCH_YAML, 'utf8'));
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: false });
      const mismatch = await waitForDiagnostics(
        () => ours(uri).find((d) => codeOf(d) === 'vip-mismatch'),
        DIAGNOSTICS_WITHIN_MS,
        'a vip-mismatch diagnostic on e2e-vip-mismatch.yaml',
      );
      assert.strictEqual(unquote(document.getText(mismatch.range)), '10.20.0.11', 'the odd one out (kube-vip address) is underlined');

      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        mismatch.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => /^Make VIP consistent\b.*\b10\.20\.0\.10\b/.test(a.title));
      assert.ok(
        fix,
        `a "Make VIP consistent: use 10.20.0.10" quick fix (the value the other places agree on) among: ${actions.map((a) => a.title).join(' | ')}`,
      );
      if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the workspace edit applies');
      if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));

      assert.ok(!document.getText().includes('10.20.0.11'), 'no VIP place keeps the old address');
      assert.strictEqual(document.getText().split('10.20.0.10').length - 1, 4, 'all four VIP places hold 10.20.0.10');
      await waitForDiagnostics(
        () => (ours(uri).some((d) => codeOf(d) === 'vip-mismatch') ? undefined : true),
        DIAGNOSTICS_WITHIN_MS,
        'the vip-mismatch to go away',
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.workspace.fs.delete(uri);
    }
  });

  if (expectedMode() === 'untrusted') {
    it('checks offline in Restricted Mode without a single cluster request', async () => {
      const capi = await api();
      assert.ok(allOurs().length > 0, 'offline checks still publish diagnostics');
      const probe = process.env.CAPI_IPAM_E2E_TRAP_URL;
      assert.ok(probe, 'the launcher started a trap API server (CAPI_IPAM_E2E_TRAP_URL)');
      // The kubeconfig in $KUBECONFIG points at the trap; give a misbehaving server time to use it.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const response = await fetch(probe);
      const { requests } = (await response.json()) as { requests: string[] };
      assert.deepStrictEqual(requests, [], 'no request reached the API server named by the kubeconfig');
      assert.strictEqual(capi.connection().state, 'untrusted');
    });
  }
});

/** One cluster whose VIP places disagree: three say 10.20.0.10, the kube-vip manifest says 10.20.0.11. */
const MISMATCH_YAML = `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: e2e-mismatch
  namespace: default
spec:
  clusterNetwork:
    pods:
      cidrBlocks: ["192.168.0.0/16"]
  controlPlaneEndpoint:
    host: 10.20.0.10
    port: 6443
  controlPlaneRef:
    apiVersion: controlplane.cluster.x-k8s.io/v1beta1
    kind: KubeadmControlPlane
    name: e2e-mismatch
  infrastructureRef:
    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
    kind: VSphereCluster
    name: e2e-mismatch
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata:
  name: e2e-mismatch
  namespace: default
spec:
  controlPlaneEndpoint:
    host: 10.20.0.10
    port: 6443
  server: vcenter.example.com
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: e2e-mismatch
  namespace: default
spec:
  replicas: 3
  version: v1.31.0
  kubeadmConfigSpec:
    clusterConfiguration:
      apiServer:
        certSANs:
          - 10.20.0.10
    files:
      - path: /etc/kubernetes/manifests/kube-vip.yaml
        owner: root:root
        content: |
          apiVersion: v1
          kind: Pod
          metadata:
            name: kube-vip
            namespace: kube-system
          spec:
            containers:
              - name: kube-vip
                image: ghcr.io/kube-vip/kube-vip:v0.8.9
                args: [manager]
                env:
                  - name: cp_enable
                    value: "true"
                  - name: vip_arp
                    value: "true"
                  - name: port
                    value: "6443"
                  - name: address
                    value: 10.20.0.11
            hostNetwork: true
  machineTemplate:
    infrastructureRef:
      apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
      kind: VSphereMachineTemplate
      name: e2e-mismatch
`;
