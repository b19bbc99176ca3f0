// Watches the files the server scans: every `capiIpam.include` glob of every workspace folder (the
// server applies `capiIpam.exclude` to each event, see server/src/folderFiles.ts). Rebuilt when the
// setting or the folders change, which a LanguageClient's fixed `synchronize.fileEvents` cannot do.
import * as vscode from 'vscode';
import { DidChangeWatchedFilesNotification, FileChangeType, type FileEvent, type LanguageClient } from 'vscode-languageclient/node';
import { CLIENT_ID } from './languageClient';

export class IncludeWatchers implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];
  private pending: FileEvent[] = [];
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly client: LanguageClient) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(`${CLIENT_ID}.include`) && this.watch()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.watch()),
    ];
    this.watch();
  }

  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = (vscode.workspace.workspaceFolders ?? []).flatMap((folder) => {
      const include = vscode.workspace.getConfiguration(CLIENT_ID, folder).get<string[]>('include') ?? [];
      return include
        .filter((glob) => typeof glob === 'string')
        .map((glob) => {
          const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
          w.onDidCreate((uri) => this.queue(uri, FileChangeType.Created));
          w.onDidChange((uri) => this.queue(uri, FileChangeType.Changed));
          w.onDidDelete((uri) => this.queue(uri, FileChangeType.Deleted));
          return w;
        });
    });
  }

  /** Events of one tick go in one notification (a checkout changes many files at once). */
  private queue(uri: vscode.Uri, type: FileChangeType): void {
    if (this.pending.push({ uri: uri.toString(), type }) > 1) return;
    queueMicrotask(() => {
      const changes = this.pending;
      this.pending = [];
      if (this.client.isRunning()) void this.client.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
    });
  }

  dispose(): void {
    for (const d of [...this.watchers, ...this.subscriptions]) d.dispose();
  }
}
