// Read-only documents `capi-ipam:/pools/<kind>/<namespace>/<name>.yaml` with a pool's YAML as the
// cluster (or the workspace) has it, fetched through the language server.
import * as vscode from 'vscode';
import type { IpamServer } from './ipamServer';

export const POOL_YAML_SCHEME = 'capi-ipam';

export class PoolYamlDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly opened = new Set<string>();

  constructor(private readonly server: IpamServer) {}

  static uriFor(poolId: string): vscode.Uri {
    // The id `<kind>/<namespace or "">/<name>` becomes a readable path; the exact id rides in the query.
    const path = `/pools/${poolId
      .split('/')
      .map((part) => part || '_cluster')
      .join('/')}.yaml`;
    return vscode.Uri.from({ scheme: POOL_YAML_SCHEME, path, query: new URLSearchParams({ id: poolId }).toString() });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const poolId = new URLSearchParams(uri.query).get('id');
    if (!poolId) return '# not a CAPI IPAM pool document\n';
    this.opened.add(uri.toString());
    const answer: unknown = await this.server.poolYaml(poolId);
    return yamlText(answer) ?? `# pool ${poolId} not found\n`;
  }

  /** Pools changed on the server: VS Code re-asks for the open documents. */
  refreshOpen(): void {
    for (const uri of this.opened) this.changed.fire(vscode.Uri.parse(uri));
  }

  forget(document: vscode.TextDocument): void {
    this.opened.delete(document.uri.toString());
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The protocol leaves the result shape open: accept a string or `{ yaml }`/`{ text }`. */
function yamlText(answer: unknown): string | undefined {
  if (typeof answer === 'string') return answer;
  if (answer && typeof answer === 'object') {
    for (const key of ['yaml', 'text', 'content']) {
      const value = (answer as Record<string, unknown>)[key];
      if (typeof value === 'string') return value;
    }
  }
  return undefined;
}
