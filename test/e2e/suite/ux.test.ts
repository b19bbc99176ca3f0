// The editor experience in a real workbench (issue 11): one pool ranking in the quick fixes, the
// CodeLens above each Cluster, stale state when the cluster is unreachable (live), the pool map
// webview and the walkthrough.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CapiIpamApi } from '../../../client/src/extension';
import type { PoolView } from '../../../server/src/protocol';
import { api, apiServer, codeOf, expectedMode, extension, ours, waitFor, waitForDiagnostics, whenChanged } from './helpers';

const mode = expectedMode();
const file = (rel: string) => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, ...rel.split('/'));

async function open(rel: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(file(rel));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** Lenses as VS Code resolves them, asked again on each change until `accept` holds (the server may still be scanning or listing). */
async function lenses(capi: CapiIpamApi, uri: vscode.Uri, accept: (titles: string[]) => boolean): Promise<vscode.CodeLens[]> {
  let titles: string[] = [];
  return whenChanged(
    capi,
    async () => {
      const found = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      titles = found.map((l) => l.command?.title ?? '');
      return accept(titles) ? found : undefined;
    },
    20_000,
    'the CodeLens titles',
    () => JSON.stringify(titles),
  );
}

if (mode !== 'untrusted') {
  describe('editor experience', () => {
    let capi: CapiIpamApi;

    before(async () => {
      capi = await api();
      if (mode === 'live')
        await waitFor(
          () => capi.connection().state === 'connected',
          30_000,
          'state connected',
          () => JSON.stringify(capi.connection()),
        );
    });

    it('a CodeLens above each Cluster tells its VIP (live: pool and claim, with Release VIP), or how to get one', async () => {
      if (mode === 'live') {
        const document = await open('clusters/prod.yaml');
        const found = await lenses(capi, document.uri, (t) => t.includes('Release VIP'));
        assert.deepStrictEqual(
          found.map((l) => [document.lineAt(l.range.start.line).text, l.command?.title]),
          [
            ['  name: prod', 'VIP 10.10.0.20 · vip-pool · claimed · places disagree'],
            ['  name: prod', 'Release VIP'],
          ],
        );
        assert.deepStrictEqual(found[1]!.command!.arguments, [{ claim: { namespace: 'default', name: 'prod-control-plane-vip' } }]);
      } else {
        const document = await open('clusters/lab.yaml');
        const [lens] = await lenses(capi, document.uri, (t) => t.length === 1 && t[0]!.startsWith('No VIP'));
        assert.strictEqual(document.lineAt(lens!.range.start.line).text, '  name: lab');
        assert.strictEqual(lens!.command!.title, 'No VIP · next free in vip-pool: 10.10.0.16 (offline: the quick fix writes it, nothing reserves it)');
        const [missing] = await waitForDiagnostics(
          () => {
            const d = ours(document.uri).filter((x) => codeOf(x) === 'missing-vip');
            return d.length ? d : undefined;
          },
          20_000,
          'missing-vip on lab.yaml',
        );
        assert.strictEqual(missing!.severity, vscode.DiagnosticSeverity.Information, 'shown in Problems');
      }
    });

    it('offers the VIP pool first and the node pool last, labelled, never lab/lab-pool (one ranking)', async () => {
      const document = await open('clusters/staging.yaml');
      const [dup] = await waitForDiagnostics(
        () => {
          const d = ours(document.uri).filter((x) => codeOf(x) === 'duplicate-ip');
          return d.length ? d : undefined;
        },
        20_000,
        'duplicate-ip on staging.yaml',
      );
      assert.strictEqual(document.getText(dup!.range), '10.10.0.61');
      // One problem, one entry: each code once in staging's Problems, the cluster's other VIP places as related information.
      const codes = ours(document.uri).map(codeOf);
      assert.deepStrictEqual(
        codes.filter((c, i) => codes.indexOf(c) !== i),
        [],
        codes.join(', '),
      );
      assert.ok(
        (dup!.relatedInformation ?? []).some((r) => /^also 10\.10\.0\.61 here/.test(r.message)),
        JSON.stringify(dup!.relatedInformation),
      );
      const prefix = mode === 'live' ? 'Allocate IP from pool' : 'Use next free address';
      // Live, the earlier live tests allocated from vip-pool and created a pool of unknown role (it ranks in between).
      const expected =
        mode === 'live'
          ? [/^Allocate IP from pool vip-pool \(\d+ free · VIP pool\)$/, /^Allocate IP from pool node-pool \(249 free · node pool\)$/]
          : [
              /^Use next free address of pool vip-pool: 10\.10\.0\.16 \(not reserved · VIP pool\)$/,
              /^Use next free address of pool node-pool: 10\.10\.1\.2 \(not reserved · node pool\)$/,
            ];
      const matches = (titles: string[]) =>
        titles.length >= 2 &&
        expected[0]!.test(titles[0]!) &&
        expected[1]!.test(titles[titles.length - 1]!) &&
        titles.slice(1, -1).every((t) => !/ · (VIP|node) pool\)$/.test(t)) &&
        !titles.some((t) => /lab-pool/.test(t)) &&
        (mode === 'live' || titles.length === 2);
      let titles: string[] = [];
      await whenChanged(
        capi,
        async () => {
          const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            document.uri,
            dup!.range,
            vscode.CodeActionKind.QuickFix.value,
          );
          titles = actions.map((a) => a.title).filter((t) => t.startsWith(prefix));
          return matches(titles) ? titles : undefined;
        },
        20_000,
        'the ranked quick fixes',
        () => JSON.stringify(titles),
      );
      if (mode === 'live') {
        // The command's list, from the server: the VIP pool first, the namespace's own pool offered, no other namespace's.
        const ranked = (await capi.server.rankedPools({ name: 'lab', namespace: 'lab' })).map((p) => p.id);
        assert.strictEqual(ranked[0], 'GlobalInClusterIPPool//vip-pool', ranked.join(', '));
        assert.ok(ranked.includes('InClusterIPPool/lab/lab-pool'), ranked.join(', '));
        assert.deepStrictEqual(
          ranked.filter((id) => id.startsWith('InClusterIPPool/') && !id.startsWith('InClusterIPPool/lab/')),
          [],
        );
      }
    });

    it('draws a pool map in a webview: every address of vip-pool with its state', async () => {
      const pools = await capi.server.pools();
      const pool = pools.find((p: PoolView) => p.name === 'vip-pool')!;
      await vscode.commands.executeCommand('capiIpam.showPoolMap', { pool });
      const tab = await waitFor(
        () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Pool map: vip-pool'),
        10_000,
        'the pool map tab',
      );
      assert.ok(tab.input instanceof vscode.TabInputWebview, 'a webview');
      const shown = capi.poolMaps.shown!;
      assert.strictEqual(shown.title, 'GlobalInClusterIPPool vip-pool');
      assert.strictEqual(shown.mode, 'addresses');
      const cells = new Map(shown.rows.flatMap((r) => r.cells).map((c) => [c.address, c.state]));
      if (mode !== 'live') assert.strictEqual(cells.get('10.10.0.16'), 'free');
      assert.strictEqual(cells.get('10.10.0.20'), 'allocated');
      assert.strictEqual(cells.get('10.10.0.50'), 'excluded');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('contributes the walkthrough with its media shipped, and opens it', async () => {
      const [walkthrough] = extension().packageJSON.contributes.walkthroughs as { id: string; steps: { media: { markdown: string } }[] }[];
      for (const step of walkthrough!.steps) assert.ok(fs.existsSync(path.join(extension().extensionPath, step.media.markdown)), step.media.markdown);
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extension().id}#${walkthrough!.id}`, false);
      const tab = await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab, 10_000, 'the walkthrough tab');
      assert.match(tab.label, /Welcome|Walkthrough|CAPI IPAM/);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    if (mode === 'live') {
      it('unreachable: the views say "cached, N min ago", allocation is disabled with the reason, Retry Now reconnects', async function () {
        this.timeout(180_000); // the real kube-apiserver takes its time to stop and to start
        const document = await open('clusters/staging.yaml');
        const [dup] = ours(document.uri).filter((x) => codeOf(x) === 'duplicate-ip');
        await apiServer('stop');
        try {
          await waitFor(
            () => capi.connection().state === 'unreachable',
            30_000,
            'state unreachable',
            () => JSON.stringify(capi.connection()),
          );
          assert.strictEqual(typeof capi.connection().cachedAt, 'number');
          assert.doesNotMatch(capi.connection().reason ?? '', /ECONNREFUSED|https?:\/\//);
          await waitFor(() => capi.trees.pools.staleLabel, 5_000, 'the Pools view header');
          assert.match(capi.trees.pools.staleLabel!, /^cached, \d+ min ago$/);
          const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, dup!.range.start);
          const hover = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
          assert.match(hover, /Pool \*\*GlobalInClusterIPPool vip-pool\*\* \(cached, \d+ min ago\)/);
          // VS Code greys out a disabled action (its API command leaves it out): no Allocate to run…
          const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            document.uri,
            dup!.range,
            vscode.CodeActionKind.QuickFix.value,
          );
          assert.deepStrictEqual(
            actions.filter((a) => a.title.startsWith('Allocate IP from pool')).map((a) => a.title),
            [],
          );
          // …and the language client received each one disabled, with the reason.
          const raw = await capi.client.sendRequest<{ title: string; disabled?: { reason: string } }[]>('textDocument/codeAction', {
            textDocument: { uri: document.uri.toString() },
            range: {
              start: { line: dup!.range.start.line, character: dup!.range.start.character },
              end: { line: dup!.range.end.line, character: dup!.range.end.character },
            },
            context: { diagnostics: [] },
          });
          const allocations = raw.filter((a) => a.title.startsWith('Allocate IP from pool'));
          assert.ok(allocations.length > 0, `raw actions: ${raw.map((a) => a.title).join(' | ') || 'none'}`);
          for (const a of allocations) assert.match(a.disabled?.reason ?? '', /^Allocation needs the management cluster, which is unreachable/);
        } finally {
          await apiServer('start');
        }
        await vscode.commands.executeCommand('capiIpam.retry');
        await waitFor(
          () => capi.connection().state === 'connected',
          30_000,
          'state connected after Retry Now',
          () => JSON.stringify(capi.connection()),
        );
        await waitFor(() => capi.trees.pools.staleLabel === undefined || undefined, 5_000, 'the Pools view header cleared');
      });
    }
  });
}
