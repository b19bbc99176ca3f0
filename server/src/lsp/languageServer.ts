// The language server: documents and workspace files in, diagnostics/hover/code actions/completion
// out, plus the custom requests of the tree views and the allocation. Engine work is synchronous
// and in memory; the cluster is only read through watches.
import { readFile } from 'node:fs/promises';
import {
  type CancellationToken, CodeActionKind, type Connection, DidChangeConfigurationNotification, FileChangeType, MarkupKind,
  ResponseError, TextDocuments, TextDocumentSyncKind, CompletionItemKind, type CodeAction, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace } from '../engine/workspace';
import { clusterId, vipClaimName } from '../engine/model/clusters';
import { vipEdits } from '../engine/edits';
import { claimDocumentEdit } from '../engine/claimDocument';
import { poolLabel } from '../engine/rules/context';
import { poolUsage } from '../engine/usage';
import {
  type AllocateParams, type AllocateResult, AllocateRequest, ConnectionStateNotification, ContextsRequest, type ContextsResult, type InitializationOptions,
  InventoryChangedNotification, KubeVipRangesRequest, LoadBalancersRequest, PoolsRequest, PoolYamlRequest, type PoolYamlParams, ReleaseRequest,
  type ReleaseParams, TrustChangedNotification, type TrustChangedParams,
} from '../protocol';
import { AllocationError, claimAddress, clusterClaims, deleteClaim } from '../live/allocator';
import { listContexts } from '../live/kube';
import { ClusterConnection } from './clusterConnection';
import { completionsAt } from './completion';
import { toCodeAction, toDiagnostic, toWorkspaceEdit } from './edits';
import { hoverAt } from './hover';
import { Positions } from './positions';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';
import { kubeVipRangeViews, poolId, poolView, serviceViews } from './views';
import { matches, scanFolder } from './workspaceFiles';

const VALIDATE_DELAY_MS = 60;
const ADDRESS_CODES = new Set(['missing-vip', 'out-of-pool', 'duplicate-ip', 'ip-in-use', 'reserved-ip', 'lb-range-overlap', 'network-overlap', 'invalid-ip']);

export class IpamLanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly workspace = new Workspace();
  private readonly positions = new Positions((uri) => this.workspace.text(uri));
  private readonly connectionToCluster: ClusterConnection;
  private settings: ServerSettings = DEFAULT_SETTINGS;
  private folders: string[] = [];
  private trusted = false;
  private virtual = false;
  private configurationSupport = false;
  private foldersSupport = false;
  /** Last diagnostics sent per file (JSON), so that an edit re-sends only the files whose diagnostics changed. */
  private published = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly connection: Connection) {
    this.connectionToCluster = new ClusterConnection({
      state: (s) => void connection.sendNotification(ConnectionStateNotification, s),
      inventoryChanged: () => {
        this.workspace.setLiveInventory(this.connectionToCluster.inventory());
        this.schedule();
        void connection.sendNotification(InventoryChangedNotification);
      },
      log: (m) => connection.console.log(m),
    });
    this.wire();
  }

  listen(): void {
    this.documents.listen(this.connection);
    this.connection.listen();
  }

  private wire(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => void this.initialized());
    c.onShutdown(() => this.connectionToCluster.stop());
    c.onDidChangeConfiguration(() => void this.reloadSettings().then(() => this.rescan()));
    c.onNotification(TrustChangedNotification, (p: TrustChangedParams) => {
      this.trusted = p.trusted;
      this.configureCluster();
    });
    this.documents.onDidChangeContent((e) => {
      this.workspace.setFile(e.document.uri, e.document.getText());
      this.schedule();
    });
    this.documents.onDidClose((e) => void this.closed(e.document.uri));
    c.onDidChangeWatchedFiles((e) => void this.filesChanged(e.changes));
    c.onHover((p) => {
      const hit = hoverAt(this.workspace.analyze(), p.textDocument.uri, this.positions.offset(p.textDocument.uri, p.position));
      return hit ? { contents: { kind: MarkupKind.Markdown, value: hit.markdown }, range: this.positions.range(p.textDocument.uri, hit.span) } : null;
    });
    c.onCodeAction((p) => this.codeActions(p.textDocument.uri, this.positions.offset(p.textDocument.uri, p.range.start), this.positions.offset(p.textDocument.uri, p.range.end)));
    c.onCompletion((p) => {
      const uri = p.textDocument.uri;
      return completionsAt(this.workspace.analyze(), uri, this.positions.offset(uri, p.position)).map((x) => ({
        label: x.address, kind: CompletionItemKind.Value, detail: x.detail, sortText: x.sortText, filterText: x.address,
        textEdit: { range: this.positions.range(uri, x.span), newText: x.address },
      }));
    });
    c.onRequest(PoolsRequest, () => this.workspace.analyze().inventory.pools.map((p) => poolView(p, this.workspace.analyze(), this.positions)));
    c.onRequest(LoadBalancersRequest, () => serviceViews(this.workspace.analyze(), this.positions));
    c.onRequest(KubeVipRangesRequest, () => kubeVipRangeViews(this.workspace.analyze(), this.positions));
    c.onRequest(ContextsRequest, () => this.contexts());
    c.onRequest(PoolYamlRequest, (p: PoolYamlParams) => this.poolYaml(p.id));
    c.onRequest(AllocateRequest, (p: AllocateParams, token: CancellationToken) => this.allocate(p, token));
    c.onRequest(ReleaseRequest, (p: ReleaseParams) => this.release(p));
  }

  private initialize(p: InitializeParams): InitializeResult {
    const opts = (p.initializationOptions ?? {}) as Partial<InitializationOptions>;
    this.trusted = opts.trusted === true;
    this.virtual = opts.virtual === true;
    this.configurationSupport = !!p.capabilities.workspace?.configuration;
    this.foldersSupport = !!p.capabilities.workspace?.workspaceFolders;
    this.folders = (p.workspaceFolders ?? []).map((f) => f.uri);
    if (this.folders.length === 0 && p.rootUri) this.folders = [p.rootUri];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        completionProvider: { triggerCharacters: ['.', ':', ' '] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'capi-ipam', version: '0.1.0' },
    };
  }

  private async initialized(): Promise<void> {
    if (this.configurationSupport) void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'capiIpam' }).catch(() => undefined);
    if (this.foldersSupport) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
        this.folders = [...this.folders.filter((f) => !e.removed.some((r) => r.uri === f)), ...e.added.map((a) => a.uri)];
        void this.rescan();
      });
    }
    try {
      await this.reloadSettings();
      await this.rescan();
    } catch (e) {
      this.connection.console.error(`initialisation failed: ${(e as Error).stack ?? e}`);
    }
  }

  private async reloadSettings(): Promise<void> {
    if (this.configurationSupport) {
      try {
        this.settings = readSettings(await this.connection.workspace.getConfiguration('capiIpam'));
      } catch {
        this.settings = DEFAULT_SETTINGS;
      }
    }
    this.workspace.setOptions({ topologyVariables: this.settings.topologyVariables });
    this.configureCluster();
  }

  private configureCluster(): void {
    this.connectionToCluster.configure(this.settings, this.trusted, this.virtual);
    this.workspace.setLiveInventory(this.connectionToCluster.inventory());
    this.schedule();
  }

  private async rescan(): Promise<void> {
    const seen = new Set<string>();
    for (const folder of this.folders) {
      for (const [uri, text] of await scanFolder(folder, this.settings)) {
        seen.add(uri);
        if (!this.documents.get(uri)) this.workspace.setFile(uri, text);
      }
    }
    for (const uri of this.workspace.uris()) if (!seen.has(uri) && !this.documents.get(uri)) this.workspace.removeFile(uri);
    this.schedule();
  }

  private inWorkspace(uri: string): boolean {
    return this.folders.some((f) => matches(f, uri, this.settings));
  }

  private async closed(uri: string): Promise<void> {
    if (this.inWorkspace(uri)) {
      try {
        this.workspace.setFile(uri, await readFile(new URL(uri), 'utf8'));
      } catch {
        this.workspace.removeFile(uri);
      }
    } else this.workspace.removeFile(uri);
    this.schedule();
  }

  private async filesChanged(changes: { uri: string; type: FileChangeType }[]): Promise<void> {
    for (const ch of changes) {
      if (this.documents.get(ch.uri)) continue; // the editor's text wins over the disk
      if (ch.type === FileChangeType.Deleted) this.workspace.removeFile(ch.uri);
      else if (this.inWorkspace(ch.uri)) {
        try {
          this.workspace.setFile(ch.uri, await readFile(new URL(ch.uri), 'utf8'));
        } catch {
          this.workspace.removeFile(ch.uri);
        }
      }
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.publish(), VALIDATE_DELAY_MS);
  }

  /** Publishes diagnostics for every file with findings, and clears files that no longer have any. */
  private publish(): void {
    let findings;
    try {
      findings = this.workspace.analyze().findings;
    } catch (e) {
      // A bug in a rule must not take the server down: report it once and keep serving.
      this.connection.console.error(`analysis failed: ${(e as Error).stack ?? e}`);
      return;
    }
    const byUri = new Map<string, typeof findings>();
    for (const f of findings) byUri.set(f.uri, [...(byUri.get(f.uri) ?? []), f]);
    for (const uri of this.published.keys()) if (!byUri.has(uri)) byUri.set(uri, []);
    for (const [uri, list] of byUri) {
      const diagnostics = list.map((f) => toDiagnostic(f, this.positions));
      const json = JSON.stringify(diagnostics);
      if (this.published.get(uri) === json) continue;
      void this.connection.sendDiagnostics({ uri, version: this.documents.get(uri)?.version, diagnostics });
      if (list.length) this.published.set(uri, json);
      else this.published.delete(uri);
    }
  }

  private versionOf = (uri: string): number | null => this.documents.get(uri)?.version ?? null;

  private codeActions(uri: string, start: number, end: number): CodeAction[] {
    const a = this.workspace.analyze();
    const overlaps = (f: { uri: string; span: { start: number; end: number } }) => f.uri === uri && f.span.start <= end && start <= f.span.end;
    const actions = a.fixes.filter((fix) => fix.resolves.some(overlaps)).map((fix) => toCodeAction(fix, this.positions, this.versionOf));
    const cluster = this.workspace.clusterAt(uri, start);
    const live = this.connectionToCluster.cluster;
    if (!cluster || !live?.ready || !this.trusted) return actions;
    const atPlace = cluster.places.some((p) => p.uri === uri && p.span.start <= end && start <= p.span.end);
    const problems = a.findings.filter((f) => overlaps(f) && ADDRESS_CODES.has(f.code));
    if (atPlace && (problems.length || cluster.places.some((p) => p.value === ''))) {
      const hint = cluster.poolHint || this.settings.defaultPool;
      const pools = a.inventory.pools
        .filter((p) => !p.origin && p.analysis.errors.length === 0 && (p.namespace === undefined || p.namespace === cluster.namespace))
        .map((p) => ({ p, u: poolUsage(p, a.inventory, a.clusters) }))
        .filter(({ u }) => u.firstFree !== undefined)
        .sort((x, y) => Number(isPool(y.p, hint)) - Number(isPool(x.p, hint)));
      pools.forEach(({ p, u }, i) => actions.push({
        title: `Allocate IP from pool ${p.name} (${u.status.free < 0n ? 0n : u.status.free} free)`,
        kind: CodeActionKind.QuickFix,
        isPreferred: i === 0 && isPool(p, hint),
        diagnostics: problems.map((f) => toDiagnostic(f, this.positions)),
        command: { title: 'Allocate IP', command: 'capiIpam.allocate', arguments: [{ uri, cluster: { name: cluster.name, namespace: cluster.namespace }, poolId: poolId(p) }] },
      }));
    }
    const held = a.inventory.addresses.some((x) => x.namespace === cluster.namespace && cluster.claimNames.includes(x.claimName));
    if (held) {
      actions.push({ title: `Release IP of cluster ${cluster.name}`, kind: CodeActionKind.QuickFix, command: { title: 'Release IP', command: 'capiIpam.release', arguments: [{ cluster: { name: cluster.name, namespace: cluster.namespace } }] } });
    }
    return actions;
  }

  private contexts(): ContextsResult {
    if (!this.trusted) return { contexts: [] };
    try {
      return { ...listContexts({ kubeconfig: this.settings.kubeconfig || undefined }), kubeconfig: this.settings.kubeconfig || undefined };
    } catch (e) {
      throw new ResponseError(1, `cannot read the kubeconfig: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  private poolYaml(id: string): string {
    const a = this.workspace.analyze();
    const pool = a.inventory.pools.find((p) => poolId(p) === id);
    if (!pool) throw new ResponseError(1, `unknown pool ${id}`);
    if (pool.origin) {
      const text = this.workspace.text(pool.origin.uri) ?? '';
      return `# ${pool.origin.uri}\n` + text;
    }
    const raw = this.connectionToCluster.cluster?.raw(pool.kind, pool.namespace, pool.name);
    return JSON.stringify(raw ?? {}, null, 2);
  }

  private liveOrFail() {
    if (!this.trusted) throw new ResponseError(1, 'Restricted Mode: CAPI IPAM does not contact a cluster in an untrusted workspace');
    const live = this.connectionToCluster.cluster;
    if (!live?.ready) throw new ResponseError(1, `no management cluster connected (${this.connectionToCluster.state.state}${this.connectionToCluster.state.reason ? ': ' + this.connectionToCluster.state.reason : ''})`);
    return live;
  }

  private async allocate(p: AllocateParams, token: CancellationToken): Promise<AllocateResult> {
    const live = this.liveOrFail();
    const id = clusterId(p.cluster);
    if (!this.workspace.cluster(id)) throw new ResponseError(1, `cluster ${id} is not in the workspace`);
    const wasOpen = !!this.documents.get(p.uri);
    const abort = new AbortController();
    token?.onCancellationRequested(() => abort.abort());
    const pool = { kind: p.pool.kind, name: p.pool.name };
    let allocation;
    try {
      allocation = await claimAddress(live.config.kc, live.resources, p.cluster, pool, {
        timeoutMs: this.settings.allocate.timeoutSeconds * 1000, signal: abort.signal, clusterExists: !!live.raw('Cluster', p.cluster.namespace, p.cluster.name),
      });
    } catch (e) {
      const exhausted = this.exhaustionMessage(pool);
      throw new ResponseError(1, `${(e as Error).message}${e instanceof AllocationError && exhausted ? ` — ${exhausted}` : ''}`);
    }
    const cleanup = async (why: string): Promise<never> => {
      if (allocation.created) await deleteClaim(live.config.kc, live.resources, allocation.claim).catch(() => undefined);
      throw new ResponseError(1, `${why}; the IPAddressClaim ${allocation.claim.namespace}/${allocation.claim.name} was deleted, no address is held`);
    };
    if (token?.isCancellationRequested) return cleanup('allocation cancelled');
    if (wasOpen && !this.documents.get(p.uri)) return cleanup(`${p.uri} was closed during the allocation`);
    const cluster = this.workspace.cluster(id);
    if (!cluster) return cleanup(`cluster ${id} disappeared from the workspace during the allocation`);
    const edits = vipEdits(cluster, allocation.address);
    if (this.settings.allocate.writeClaim && allocation.created) {
      const claims = live.resource('IPAddressClaim')!;
      const uri = cluster.cluster?.uri ?? cluster.anchor.uri;
      edits.push(...claimDocumentEdit(cluster, this.workspace.text(uri) ?? '', pool, { apiVersion: `${claims.group}/${claims.version}`, clusterExists: !!live.raw('Cluster', cluster.namespace, cluster.name) }));
    }
    let applied = false;
    try {
      const r = await this.connection.workspace.applyEdit({ label: `Allocate ${allocation.address} to ${id}`, edit: toWorkspaceEdit(edits, this.positions, this.versionOf) });
      applied = r.applied;
      if (!applied) return cleanup(`the edit was not applied${r.failureReason ? ` (${r.failureReason})` : ' (the document changed meanwhile?)'}`);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      return cleanup(`the edit could not be applied: ${(e as Error).message}`);
    }
    this.connection.console.log(`allocated ${allocation.address} to ${id} (IPAddressClaim ${allocation.claim.namespace}/${allocation.claim.name})`);
    return { address: allocation.address, claim: allocation.claim };
  }

  private exhaustionMessage(pool: { kind: string; name: string }): string | undefined {
    const a = this.workspace.analyze();
    const p = a.inventory.pools.find((x) => x.kind === pool.kind && x.name === pool.name && !x.origin);
    if (!p) return undefined;
    const u = poolUsage(p, a.inventory, a.clusters);
    return u.firstFree ? undefined : `pool ${poolLabel(p)} is exhausted (${u.status.used} used of ${u.status.total})`;
  }

  private async release(p: ReleaseParams): Promise<{ released: string[] }> {
    const live = this.liveOrFail();
    const names = await clusterClaims(live.config.kc, live.resources, p.cluster);
    if (names.length === 0) throw new ResponseError(1, `no IPAddressClaim of cluster ${p.cluster.namespace}/${p.cluster.name} (expected ${vipClaimName(p.cluster.name)})`);
    for (const name of names) await deleteClaim(live.config.kc, live.resources, { name, namespace: p.cluster.namespace });
    this.connection.console.log(`released ${names.join(', ')} of ${clusterId(p.cluster)}`);
    return { released: names };
  }
}

function isPool(p: { kind: string; name: string; namespace?: string }, hint: string): boolean {
  return !!hint && (p.name === hint || `${p.namespace}/${p.name}` === hint);
}
