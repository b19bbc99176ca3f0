// A real LSP client for tests: spawns dist/server.js over stdio and speaks JSON-RPC to it, answering
// the server's requests (configuration, applyEdit) like an editor would.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type Diagnostic,
  type WorkspaceEdit,
  type TextDocumentEdit,
  type CodeAction,
  type Hover,
  type CompletionItem,
  type CompletionList,
} from 'vscode-languageserver-protocol/node';
import { LineIndex } from '../../server/src/engine/text/positions';
import type { ConnectionState } from '../../server/src/protocol';

export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const SERVER = join(ROOT, 'dist', 'server.js');

export interface StartOptions {
  folder?: string;
  settings?: Record<string, unknown>;
  trusted?: boolean;
  env?: NodeJS.ProcessEnv;
}

export function applyTextEdits(
  text: string,
  edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[],
): string {
  const idx = new LineIndex(text);
  const abs = edits.map((e) => ({ s: idx.offset(e.range.start), e: idx.offset(e.range.end), t: e.newText })).sort((a, b) => b.s - a.s);
  for (const x of abs) text = text.slice(0, x.s) + x.t + text.slice(x.e);
  return text;
}

/** Diagnostic messages are strings in practice (MarkupContent is a 3.18 client opt-in). */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly states: ConnectionState[] = [];
  readonly logs: string[] = [];
  readonly appliedEdits: WorkspaceEdit[] = [];
  /** Return false to refuse the next workspace/applyEdit (simulates a changed document). */
  acceptEdit: (edit: WorkspaceEdit) => boolean = () => true;
  private readonly docs = new Map<string, { text: string; version: number }>();
  private listeners: (() => void)[] = [];
  exited: number | null = null;
  /** capiIpam/inventoryChanged notifications so far (a live change reached the server). */
  inventoryChanges = 0;
  estateChanges = 0;

  private constructor(
    readonly proc: ChildProcess,
    readonly rpc: ProtocolConnection,
    public settings: Record<string, unknown>,
  ) {}

  static async start(opts: StartOptions = {}): Promise<LspClient> {
    const proc = spawn(process.execPath, [SERVER, '--stdio'], { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const rpc = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, rpc, { offline: false, ...opts.settings });
    proc.stderr!.on('data', (d) => client.logs.push(String(d)));
    proc.on('exit', (code) => (client.exited = code ?? -1));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    rpc.onNotification('textDocument/publishDiagnostics', (p: any) => {
      client.diagnostics.set(p.uri, p.diagnostics);
      client.notify();
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    rpc.onNotification('capiIpam/connectionState', (s: any) => {
      client.states.push(s);
      client.notify();
    });
    rpc.onNotification('capiIpam/inventoryChanged', () => {
      client.inventoryChanges++;
      client.notify();
    });
    rpc.onNotification('capiIpam/estateChanged', () => {
      client.estateChanges++;
      client.notify();
    });
    rpc.onNotification('window/logMessage', (m: { message: string }) => {
      client.logs.push(m.message);
      client.notify();
    });
    rpc.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => client.settings));
    rpc.onRequest('client/registerCapability', () => null);
    rpc.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }): { applied: boolean; failureReason?: string } => {
      if (!client.acceptEdit(p.edit)) return { applied: false, failureReason: 'document changed' };
      client.applyWorkspaceEdit(p.edit);
      client.appliedEdits.push(p.edit);
      client.notify();
      return { applied: true };
    });
    rpc.listen();
    const folderUri = opts.folder ? new URL('file://' + opts.folder).toString() : undefined;
    await rpc.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folderUri ?? null,
      workspaceFolders: folderUri ? [{ uri: folderUri, name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true }, codeAction: { disabledSupport: true } },
      },
      initializationOptions: { trusted: opts.trusted ?? true },
    });
    await rpc.sendNotification('initialized', {});
    return client;
  }

  private notify() {
    for (const l of this.listeners) l();
  }

  /** Resolves when `check()` returns a value (re-checked on every message from the server). */
  waitFor<T>(check: () => T | undefined | false | null, timeoutMs = 10_000, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const test = () => {
        const v = check();
        if (v) {
          done();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; logs:\n${this.logs.slice(-20).join('\n')}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== test);
      };
      this.listeners.push(test);
      test();
    });
  }

  /** Re-runs an async probe (a request) after each inventory change until it returns a value. */
  async untilInventory<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = 'inventory condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.inventoryChanges;
      const value = await probe();
      if (value) return value;
      await this.waitFor(() => this.inventoryChanges > seen, Math.max(1, deadline - Date.now()), what);
    }
  }

  /** Re-runs an async probe (a request) after each estate change until it returns a value. */
  async untilEstate<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = 'estate condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.estateChanges;
      const value = await probe();
      if (value) return value;
      await this.waitFor(() => this.estateChanges > seen, Math.max(1, deadline - Date.now()), what);
    }
  }

  diagnosticsOf(uri: string, code?: string): Diagnostic[] {
    return (this.diagnostics.get(uri) ?? []).filter((d) => !code || d.code === code);
  }

  waitForDiagnostic(uri: string, code: string, timeoutMs = 10_000): Promise<Diagnostic[]> {
    return this.waitFor(
      () => {
        const d = this.diagnosticsOf(uri, code);
        return d.length ? d : undefined;
      },
      timeoutMs,
      `${code} in ${uri}`,
    );
  }

  waitForState(state: string, timeoutMs = 15_000): Promise<ConnectionState> {
    return this.waitFor(
      () => (this.states.at(-1)?.state === state ? this.states.at(-1) : undefined),
      timeoutMs,
      `connection state ${state} (last: ${JSON.stringify(this.states.at(-1))})`,
    );
  }

  textOf(uri: string): string {
    return this.docs.get(uri)?.text ?? readFileSync(fileURLToPath(uri), 'utf8');
  }

  open(uri: string, text = readFileSync(fileURLToPath(uri), 'utf8')): void {
    this.docs.set(uri, { text, version: 1 });
    void this.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  change(uri: string, text: string): void {
    const d = this.docs.get(uri)!;
    d.text = text;
    d.version++;
    void this.rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version: d.version }, contentChanges: [{ text }] });
  }

  close(uri: string): void {
    this.docs.delete(uri);
    void this.rpc.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  changeSettings(next: Record<string, unknown>): void {
    this.settings = { ...this.settings, ...next };
    void this.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { capiIpam: this.settings } });
  }

  /** Applies an edit like an editor: open documents in memory (version-checked), others on disk. */
  applyWorkspaceEdit(edit: WorkspaceEdit): void {
    for (const change of (edit.documentChanges ?? []) as TextDocumentEdit[]) {
      const uri = change.textDocument.uri;
      const doc = this.docs.get(uri);
      if (doc) {
        if (change.textDocument.version !== null && change.textDocument.version !== doc.version) throw new Error(`version mismatch for ${uri}`);
        this.change(uri, applyTextEdits(doc.text, change.edits as never));
      } else {
        const path = fileURLToPath(uri);
        writeFileSync(path, applyTextEdits(readFileSync(path, 'utf8'), change.edits as never));
        void this.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
      }
    }
  }

  codeActions(uri: string, range: Diagnostic['range'], diagnostics: Diagnostic[] = []): Promise<CodeAction[]> {
    return this.rpc.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } }) as Promise<CodeAction[]>;
  }

  hover(uri: string, position: { line: number; character: number }): Promise<Hover | null> {
    return this.rpc.sendRequest('textDocument/hover', { textDocument: { uri }, position }) as Promise<Hover | null>;
  }

  async completion(uri: string, position: { line: number; character: number }): Promise<CompletionItem[]> {
    const r = (await this.rpc.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as CompletionItem[] | CompletionList | null;
    return Array.isArray(r) ? r : (r?.items ?? []);
  }

  request<T>(method: string, params?: unknown): Promise<T> {
    return this.rpc.sendRequest(method, params) as Promise<T>;
  }

  textAt(uri: string, range: Diagnostic['range']): string {
    const text = this.textOf(uri);
    const idx = new LineIndex(text);
    return text.slice(idx.offset(range.start), idx.offset(range.end));
  }

  async stop(): Promise<void> {
    if (this.exited === null) {
      try {
        await Promise.race([this.rpc.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        void this.rpc.sendNotification('exit');
      } catch {
        /* already gone */
      }
      // The server exits on `exit`; one that has not within a second is killed.
      await new Promise<void>((resolve) => {
        if (this.exited !== null) return resolve();
        const timer = setTimeout(() => {
          if (this.exited === null) this.proc.kill();
          resolve();
        }, 1000);
        this.proc.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.rpc.dispose();
  }
}
