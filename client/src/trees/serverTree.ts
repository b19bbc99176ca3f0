// Base of the three views: roots come from one language-server request, cached until the next
// reload, so expanding nodes never waits on the server (but for the address blocks of a pool too
// big to send at once) and refreshes never block the UI.
import * as vscode from 'vscode';
import { errorMessage } from '../wire';

export abstract class ServerTree<Node> implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Node[] | undefined;
  private loading: Promise<Node[]> | undefined;
  private generation = 0;
  private view: vscode.TreeView<Node> | undefined;

  constructor(readonly viewId: string) {}

  /** Fetches the root nodes from the server. */
  protected abstract fetchRoots(): Promise<Node[]>;
  /** A node's children: from the loaded roots, or (a big pool's address block) asked for on expansion. */
  protected abstract childrenOf(node: Node): Node[] | Promise<Node[]>;
  abstract getTreeItem(node: Node): vscode.TreeItem;
  /** Shown in the view header when the list is empty but the welcome view would be misleading. */
  protected emptyMessage(): string | undefined {
    return undefined;
  }

  attach(view: vscode.TreeView<Node>): void {
    this.view = view;
  }

  /** "cached, N min ago" next to the view title while the cluster cannot be read; undefined: live. */
  protected stale: string | undefined;

  setStale(label: string | undefined): void {
    if (label === this.stale) return;
    this.stale = label;
    if (this.view) this.view.description = label;
    this.changed.fire(undefined);
  }

  /** The view's header note (tests read it). */
  get staleLabel(): string | undefined {
    return this.stale;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return this.childrenOf(node);
    if (this.roots) return this.roots;
    return this.load();
  }

  /** Re-fetches and redraws; resolves once the new data is in (used for the view progress). */
  async reload(): Promise<void> {
    await this.load(true);
    this.changed.fire(undefined);
  }

  /** The last loaded roots (tests and commands read them without a new request). */
  get loadedRoots(): readonly Node[] {
    return this.roots ?? [];
  }

  private load(force = false): Promise<Node[]> {
    // Concurrent readers share one request; a forced reload starts a new one and only the newest
    // answer is kept, so a slow stale response never overwrites a fresh one.
    if (!force && this.loading) return this.loading;
    const generation = ++this.generation;
    const request: Promise<Node[]> = this.fetchRoots()
      .then((roots) => {
        if (generation === this.generation) {
          this.roots = roots;
          this.setMessage(roots.length === 0 ? this.emptyMessage() : undefined);
        }
        return roots;
      })
      .catch((error: unknown) => {
        if (generation === this.generation) {
          this.roots = [];
          this.setMessage(`Could not load from the CAPI IPAM language server: ${errorMessage(error)}`);
        }
        return [];
      })
      .finally(() => {
        if (this.loading === request) this.loading = undefined;
      });
    this.loading = request;
    return request;
  }

  private setMessage(message: string | undefined): void {
    if (this.view) this.view.message = message;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
