// The language server: documents and workspace files in, diagnostics/hover/code actions/completion
// out, plus the custom requests of the tree views and the allocation. Engine work is synchronous
// and in memory; the cluster is only read through watches.
import {
  type CancellationToken,
  CodeActionKind,
  CodeLensRefreshRequest,
  type Connection,
  DidChangeConfigurationNotification,
  FileChangeType,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { stringify } from 'yaml';
import { AnalysisHost, HostResolver, type Snapshot, policyYaml } from '../engine/index';
import { systemLookup } from '../live/resolve';
import { FileRefused } from '../safeFile';
import {
  type AllocateParams,
  AllocateRequest,
  ClusterAtRequest,
  type ClusterAtParams,
  type ClusterAtResult,
  ConnectionStateNotification,
  ContextsRequest,
  type ContextsResult,
  type InitializationOptions,
  InventoryChangedNotification,
  KubeVipRangesRequest,
  PolicyRequest,
  type PolicyParams,
  type PolicyResult,
  LoadBalancersRequest,
  PoolsRequest,
  PoolYamlRequest,
  type PoolYamlParams,
  ReleaseRequest,
  type ReleaseParams,
  ReleaseTargetRequest,
  type ReleaseTargetParams,
  TrustChangedNotification,
  type TrustChangedParams,
  RankedPoolsRequest,
  type RankedPoolsParams,
  RetryRequest,
  PoolMapRequest,
  type PoolMapParams,
  type PoolMapData,
  PoolBlockRequest,
  type PoolBlockParams,
  type PoolBlockResult,
  EstateRequest,
  EstateChangedNotification,
  type EstateResult,
} from '../protocol';
import { estateResult } from './estateView';
import { listContexts } from '../live/kube';
import { cachedAge } from '../cachedAge';
import { ClusterConnection } from './clusterConnection';
import { toCodeAction, toDiagnostic } from './edits';
import { toCodeLens, toCompletion, toHover, wireKubeVipRange, wirePool, wirePoolBlock, wireService } from './features';
import { Positions } from './positions';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';
import { Allocations, allocationActions } from './allocation';
import { matches, readWorkspaceFile, scanFolder } from './workspaceFiles';
import { Renders } from './renders';
import { mapFindings, mapFixes } from '../render/mapping';

// Keystrokes only store text (the workspace parses lazily); the analysis runs once the typing pauses for
// this long. Short, because an edit's analysis costs tens of milliseconds even on a 100k-line file.
const VALIDATE_DELAY_MS = 25;

export class IpamLanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly host = new AnalysisHost();
  /** The newest snapshot: every feature answers from it (made on the first read after a change). */
  private get snapshot(): Snapshot {
    return this.host.snapshot();
  }
  private readonly positions = new Positions((uri) => this.host.text(uri));
  private readonly connectionToCluster: ClusterConnection;
  private settings: ServerSettings = DEFAULT_SETTINGS;
  private folders: string[] = [];
  private trusted = false;
  private virtual = false;
  private configurationSupport = false;
  private foldersSupport = false;
  /** The client shows a disabled code action with its reason (VS Code does). */
  private disabledActions = false;
  private lensRefresh = false;
  /** Last diagnostics sent per file (JSON), so that an edit re-sends only the files whose diagnostics changed. */
  private published = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly allocations: Allocations;
  /** Host names resolve in the background; a completed lookup re-publishes (never on the keystroke path). */
  private readonly resolver = new HostResolver(systemLookup, () => {
    this.host.hostsResolved();
    this.schedule();
  });
  private readonly renders: Renders;

  constructor(private readonly connection: Connection) {
    this.connectionToCluster = new ClusterConnection({
      state: (s) => void connection.sendNotification(ConnectionStateNotification, s),
      inventoryChanged: () => {
        this.host.setLiveInventory(this.connectionToCluster.inventory());
        this.schedule();
        if (this.lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
        void connection.sendNotification(InventoryChangedNotification);
      },
      estateChanged: () => void connection.sendNotification(EstateChangedNotification),
      log: (m) => connection.console.log(m),
    });
    this.allocations = new Allocations({
      connection,
      host: this.host,
      positions: this.positions,
      isOpen: (uri) => !!this.documents.get(uri),
      versionOf: (uri) => this.versionOf(uri),
      settings: () => this.settings,
      trusted: () => this.trusted,
      cluster: this.connectionToCluster,
      rendered: { isRendering: (uri) => this.renders.isRendering(uri), sourceEdits: (edits) => this.renders.sourceEdits(edits) },
    });
    this.renders = new Renders({
      workspace: this.host,
      trusted: () => this.trusted,
      folders: () => this.folders,
      settings: () => this.settings.render,
      openText: (uri) => this.documents.get(uri)?.getText(),
      log: (m) => connection.console.log(m),
      changed: () => this.schedule(),
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
    c.onShutdown(() => {
      this.connectionToCluster.stop();
      this.renders.stop();
    });
    c.onDidChangeConfiguration(() => void this.reloadSettings().then(() => this.rescan()));
    c.onNotification(TrustChangedNotification, (p: TrustChangedParams) => {
      this.trusted = p.trusted;
      this.configureCluster();
    });
    this.documents.onDidChangeContent((e) => {
      this.host.setFile(e.document.uri, e.document.getText());
      this.schedule();
      this.renders.documentChanged(e.document.uri);
    });
    this.documents.onDidClose((e) => void this.closed(e.document.uri));
    c.onDidChangeWatchedFiles((e) => void this.filesChanged(e.changes));
    c.onHover((p) => {
      const cachedAt = this.connectionToCluster.cachedAt;
      const uri = p.textDocument.uri;
      const hit = this.snapshot.hover(uri, this.positions.offset(uri, p.position), cachedAt === undefined ? 'live' : cachedAge(cachedAt));
      return hit ? toHover(hit, uri, this.positions) : null;
    });
    c.onCodeAction((p) =>
      this.codeActions(p.textDocument.uri, this.positions.offset(p.textDocument.uri, p.range.start), this.positions.offset(p.textDocument.uri, p.range.end)),
    );
    c.onCompletion((p) => {
      const uri = p.textDocument.uri;
      return this.snapshot.completion(uri, this.positions.offset(uri, p.position), this.settings.defaultPool).map((x) => toCompletion(x, uri, this.positions));
    });
    c.onCodeLens((p) => {
      const uri = p.textDocument.uri;
      const cluster = this.connectionToCluster;
      const lenses = this.snapshot.codeLenses(uri, {
        live: !!cluster.cluster?.ready && this.trusted,
        blocked: cluster.cluster?.ready ? cluster.allocationBlocked : undefined,
        defaultPool: this.settings.defaultPool,
      });
      return lenses.map((l) => toCodeLens(l, uri, this.positions));
    });
    c.onRequest(PoolsRequest, () => this.snapshot.pools().map((p) => wirePool(p, this.positions)));
    c.onRequest(PoolBlockRequest, (p: PoolBlockParams): PoolBlockResult => {
      const result = this.snapshot.poolBlock(p.id, p.block);
      if (!result) throw new ResponseError(1, `no block ${p.block} in pool ${p.id}`);
      return wirePoolBlock(result, this.positions);
    });
    c.onRequest(PoolMapRequest, (p: PoolMapParams): PoolMapData => {
      const map = this.snapshot.poolMap(p.id, p.zoom);
      if (!map) throw new ResponseError(1, `unknown pool ${p.id}`);
      return map;
    });
    c.onRequest(RankedPoolsRequest, (p: RankedPoolsParams) =>
      this.snapshot.rankedPools(p.cluster, this.settings.defaultPool).map((v) => wirePool(v, this.positions)),
    );
    c.onRequest(LoadBalancersRequest, () => this.snapshot.services().map((s) => wireService(s, this.positions)));
    c.onRequest(KubeVipRangesRequest, () => this.snapshot.kubeVipRanges().map((r) => wireKubeVipRange(r, this.positions)));
    c.onRequest(ClusterAtRequest, (p: ClusterAtParams): ClusterAtResult => this.snapshot.clusterAt(p.uri, this.positions.offset(p.uri, p.position)) ?? null);
    c.onRequest(ContextsRequest, () => this.contexts());
    c.onRequest(EstateRequest, (): EstateResult => estateResult(this.connectionToCluster, this.snapshot.analysis, this.settings, this.trusted, this.virtual));
    c.onRequest(PoolYamlRequest, (p: PoolYamlParams) => this.poolYaml(p.id));
    c.onRequest(AllocateRequest, (p: AllocateParams, token: CancellationToken) => this.allocations.allocate(p, token));
    c.onRequest(ReleaseTargetRequest, (p: ReleaseTargetParams) => this.allocations.releaseTarget(p));
    c.onRequest(ReleaseRequest, (p: ReleaseParams) => this.allocations.release(p));
    c.onRequest(PolicyRequest, (p: PolicyParams): PolicyResult => policyYaml(this.snapshot.analysis, p.format === 'kyverno' ? 'kyverno' : 'vap'));
    c.onRequest(RetryRequest, () => this.connectionToCluster.retryNow(this.settings, this.trusted, this.virtual));
  }

  private initialize(p: InitializeParams): InitializeResult {
    const opts = (p.initializationOptions ?? {}) as Partial<InitializationOptions>;
    this.trusted = opts.trusted === true;
    this.virtual = opts.virtual === true;
    this.configurationSupport = !!p.capabilities.workspace?.configuration;
    this.foldersSupport = !!p.capabilities.workspace?.workspaceFolders;
    this.disabledActions = !!p.capabilities.textDocument?.codeAction?.disabledSupport;
    this.lensRefresh = !!p.capabilities.workspace?.codeLens?.refreshSupport;
    this.folders = (p.workspaceFolders ?? []).map((f) => f.uri);
    if (this.folders.length === 0 && p.rootUri) this.folders = [p.rootUri];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        completionProvider: { triggerCharacters: ['.', ':', ' '] },
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'capi-ipam', version: '0.1.0' },
    };
  }

  private async initialized(): Promise<void> {
    if (this.configurationSupport)
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'capiIpam' }).catch(() => undefined);
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
    this.host.setOptions({ topologyVariables: this.settings.topologyVariables, defaultPool: this.settings.defaultPool });
    this.configureCluster();
  }

  private configureCluster(): void {
    this.connectionToCluster.configure(this.settings, this.trusted, this.virtual);
    // A host name in an untrusted workspace is not looked up: the lookup itself leaks it.
    this.host.setOptions({ resolver: this.trusted && this.settings.resolveHostnames ? this.resolver : null });
    this.host.setLiveInventory(this.connectionToCluster.inventory());
    this.schedule();
    this.renders.schedule();
  }

  private async rescan(): Promise<void> {
    const seen = new Set<string>();
    for (const folder of this.folders) {
      for (const [uri, text] of await scanFolder(folder, this.settings)) {
        seen.add(uri);
        if (!this.documents.get(uri)) this.host.setFile(uri, text);
      }
    }
    for (const uri of this.host.uris()) if (!seen.has(uri) && !this.documents.get(uri) && uri.startsWith('file:') && !uri.includes('#')) this.removeFile(uri);
    this.schedule();
    this.renders.schedule();
  }

  private inWorkspace(uri: string): boolean {
    return this.folders.some((f) => matches(f, uri, this.settings));
  }

  /** A workspace file as it is on disk now; gone when it cannot be read or is refused (see safeFile). */
  private async reloadFromDisk(uri: string): Promise<void> {
    try {
      this.host.setFile(uri, await readWorkspaceFile(uri, this.folders));
    } catch (e) {
      this.removeFile(uri);
      if (e instanceof FileRefused) this.connection.console.warn(e.message);
    }
  }

  private async closed(uri: string): Promise<void> {
    if (this.inWorkspace(uri)) await this.reloadFromDisk(uri);
    else this.removeFile(uri);
    this.schedule();
  }

  private async filesChanged(changes: { uri: string; type: FileChangeType }[]): Promise<void> {
    for (const ch of changes) {
      if (this.documents.get(ch.uri)) continue; // the editor's text wins over the disk
      if (ch.type === FileChangeType.Deleted) this.removeFile(ch.uri);
      else if (this.inWorkspace(ch.uri)) await this.reloadFromDisk(ch.uri);
    }
    this.schedule();
    this.renders.schedule();
  }

  /** A file gone from the workspace: its line index goes too (the cache would otherwise keep every file ever seen). */
  private removeFile(uri: string): void {
    this.host.removeFile(uri);
    this.positions.forget(uri);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.publish(), VALIDATE_DELAY_MS);
  }

  /** Publishes diagnostics for every file with findings, and clears files that no longer have any. */
  private publish(): void {
    let findings;
    try {
      findings = mapFindings(this.snapshot.diagnostics(), this.renders.maps);
    } catch (e) {
      // A bug in a rule must not take the server down: report it once and keep serving.
      this.connection.console.error(`analysis failed: ${(e as Error).stack ?? e}`);
      return;
    }
    const byUri = new Map<string, typeof findings>();
    for (const f of findings) {
      const list = byUri.get(f.uri);
      if (list)
        list.push(f); // not a copy per finding: 10,000 findings in one file stay linear
      else byUri.set(f.uri, [f]);
    }
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
    // In a values file or patch: the rendered place it feeds.
    const rendered = this.snapshot.clusterNear(uri, start) ? undefined : this.renders.renderedAt(uri, start, end);
    const at = rendered ? { uri: rendered.uri, ...rendered.span } : { uri, start, end };
    const actions = mapFixes(this.snapshot.codeActions(at.uri, at.start, at.end), this.renders.maps).map((fix) =>
      toCodeAction(fix, this.positions, this.versionOf),
    );
    const cluster = this.snapshot.clusterNear(at.uri, at.start);
    const live = this.connectionToCluster.cluster;
    const blocked = this.connectionToCluster.allocationBlocked;
    if (!cluster || !live?.ready || !this.trusted || (blocked && !this.disabledActions)) return actions;
    return [...actions, ...allocationActions(this.snapshot, cluster, at, this.settings.defaultPool, this.positions, blocked)];
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
    const pool = this.snapshot.pool(id);
    if (!pool) throw new ResponseError(1, `unknown pool ${id}`);
    if (pool.origin) {
      const doc = this.snapshot.documentText(pool.origin.uri, pool.origin.span.start) ?? '';
      return `# ${pool.origin.uri}\n${doc.replace(/^---\s*\n/, '')}`;
    }
    const raw = this.connectionToCluster.cluster?.raw(pool.kind, pool.namespace, pool.name) as { metadata?: Record<string, unknown> } | undefined;
    if (!raw) throw new ResponseError(1, `pool ${id} is no longer in the management cluster`);
    // As kubectl get -o yaml shows it, without the server-side bookkeeping nobody reads.
    const { managedFields: _managed, ...metadata } = raw.metadata ?? {};
    return `# ${this.connectionToCluster.state.context ?? 'management cluster'}: ${pool.kind} ${pool.namespace ? pool.namespace + '/' : ''}${pool.name}\n${stringify({ ...raw, metadata })}`;
  }
}
