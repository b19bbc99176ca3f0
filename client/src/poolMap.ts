// The pool map: a webview that draws a pool as a grid of its addresses coloured by state (or, for
// large pools, one row per block of 256 with a zoom). The server computes the data; the page renders
// it with textContent only, under a strict CSP with a nonce. A free cell allocates for the cluster of
// the last YAML editor; offline it copies the address.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PoolMapData } from '../../server/src/protocol';
import type { IpamServer } from './ipamServer';
import { errorMessage } from './wire';

type FromPage = { type: 'ready' } | { type: 'zoom'; block?: string } | { type: 'allocate'; address: string };

export class PoolMaps implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private poolId = '';
  private zoom: string | undefined;
  /** Last data sent to the page (tests read it). */
  shown: PoolMapData | undefined;
  private lastEditor: { uri: vscode.Uri; position: vscode.Position } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly server: IpamServer,
    private readonly extensionUri: vscode.Uri,
    private readonly connected: () => boolean,
  ) {
    const remember = (e: vscode.TextEditor | undefined) => {
      if (e?.document.languageId === 'yaml') this.lastEditor = { uri: e.document.uri, position: e.selection.active };
    };
    remember(vscode.window.activeTextEditor);
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(remember),
      vscode.window.onDidChangeTextEditorSelection((e) => remember(e.textEditor)),
    );
  }

  async show(poolId: string, title: string): Promise<void> {
    this.poolId = poolId;
    this.zoom = undefined;
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.extensionUri, 'resources', 'poolMap');
      this.panel = vscode.window.createWebviewPanel('capiIpam.poolMap', 'Pool map', vscode.ViewColumn.Beside, {
        enableScripts: true,
        localResourceRoots: [media],
      });
      this.panel.webview.html = page(this.panel.webview, media);
      this.panel.webview.onDidReceiveMessage((m: FromPage) => void this.received(m), undefined, this.subscriptions);
      this.panel.onDidDispose(() => (this.panel = undefined), undefined, this.subscriptions);
    }
    this.panel.title = `Pool map: ${title}`;
    this.panel.reveal();
    await this.refresh();
  }

  /** Re-reads the data (inventory changes). */
  async refresh(): Promise<void> {
    if (!this.panel) return;
    try {
      this.shown = await this.server.poolMap(this.poolId, this.zoom);
      await this.panel.webview.postMessage({ type: 'map', data: this.shown, connected: this.connected() });
    } catch (error) {
      await this.panel.webview.postMessage({ type: 'error', message: errorMessage(error) });
    }
  }

  private async received(m: FromPage): Promise<void> {
    if (m.type === 'ready') return this.refresh();
    if (m.type === 'zoom') {
      this.zoom = m.block;
      return this.refresh();
    }
    if (m.type === 'allocate') return this.allocate(m.address);
  }

  private async allocate(address: string): Promise<void> {
    const editor = this.lastEditor && vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.lastEditor!.uri.toString());
    const cluster = editor ? await this.server.clusterAt(editor.uri.toString(), this.lastEditor!.position).catch(() => undefined) : undefined;
    if (!this.connected() || !cluster) {
      await vscode.env.clipboard.writeText(address);
      const why = this.connected() ? 'open a cluster file (cursor in its Cluster) to allocate from the map' : 'allocation needs a connected management cluster';
      void vscode.window.showInformationMessage(`Copied ${address} — ${why}.`);
      return;
    }
    // The provider hands out the pool's lowest free address: the claim gets that one, not necessarily the clicked one.
    await vscode.commands.executeCommand('capiIpam.allocate', { uri: editor!.uri.toString(), cluster, poolId: this.poolId });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

function page(webview: vscode.Webview, media: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(media, file)).toString();
  const csp = `default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('poolMap.css')}">
<title>Pool map</title>
</head>
<body>
<main id="map" aria-live="polite"></main>
<p id="details" role="status"></p>
<script nonce="${nonce}" src="${uri('poolMap.js')}"></script>
</body>
</html>`;
}
