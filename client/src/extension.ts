// Entry point: starts the language server and wires the views, the status bar and the commands
// to it. All tree data comes from the server; this side only renders and asks.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ConnectionStateNotification,
  EstateChangedNotification,
  InventoryChangedNotification,
  type ConnectionState,
  type PoolView,
} from '../../server/src/protocol';
import { allocate, release, type AllocateArgs, type ReleaseArgs } from './commands/allocation';
import { copyAddress, openPoolYaml, revealLocation } from './commands/itemCommands';
import { selectContext } from './commands/selectContext';
import { ConnectionStatus } from './connectionStatus';
import { debounce } from './debounce';
import { IpamServer } from './ipamServer';
import { KubeconfigApproval } from './kubeconfigApproval';
import { createLanguageClient } from './languageClient';
import { IncludeWatchers } from './fileWatchers';
import { PoolMaps } from './poolMap';
import { RULE_HELP_SCHEME, RuleHelp } from './ruleHelp';
import { POOL_YAML_SCHEME, PoolYamlDocuments } from './poolYamlDocuments';
import { writeSetting } from './settings';
import { generatePolicy } from './commands/generatePolicy';
import { EstateTree } from './trees/estateTree';
import { KubeVipRangesTree } from './trees/kubeVipRangesTree';
import { LoadBalancersTree } from './trees/loadBalancersTree';
import { PoolsTree, poolLabel } from './trees/poolsTree';
import type { ServerTree } from './trees/serverTree';
import { errorMessage } from './wire';
import { cachedAge } from '../../server/src/cachedAge';

/** Bursts of inventory changes (a watch replaying a list) collapse into one refresh. */
const INVENTORY_REFRESH_DELAY_MS = 300;

/** What `activate` returns: e2e tests use it to reach the client and the trees. */
export interface CapiIpamApi {
  client: LanguageClient;
  server: IpamServer;
  trees: { pools: PoolsTree; loadBalancers: LoadBalancersTree; kubeVipRanges: KubeVipRangesTree; estate: EstateTree };
  poolMaps: PoolMaps;
  connection: () => ConnectionState;
  /** Reloads the views; resolves when the new data is in. */
  refresh: () => Promise<void>;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<CapiIpamApi> {
  const output = vscode.window.createOutputChannel('CAPI IPAM', { log: true });
  const approval = new KubeconfigApproval(context.workspaceState);
  client = createLanguageClient(context, output, approval);
  const askAboutKubeconfig = () =>
    void approval.askIfNeeded().then((changed) => {
      // The server re-reads its settings (and so the kubeconfig) on this notification.
      if (changed) void client?.sendNotification('workspace/didChangeConfiguration', { settings: null });
    });
  const server = new IpamServer(client);
  const status = new ConnectionStatus();
  const pools = new PoolsTree(server);
  const loadBalancers = new LoadBalancersTree(server);
  const kubeVipRanges = new KubeVipRangesTree(server);
  const estate = new EstateTree(server);
  const trees: ServerTree<unknown>[] = [pools, loadBalancers, kubeVipRanges, estate] as ServerTree<unknown>[];
  const poolYaml = new PoolYamlDocuments(server);
  const ruleHelp = new RuleHelp(context.extensionUri);
  const poolMaps = new PoolMaps(server, context.extensionUri, () => status.state.state === 'connected');
  context.subscriptions.push(output, status, poolYaml, poolMaps, ...trees, new IncludeWatchers(client));

  for (const tree of trees) {
    const view = vscode.window.createTreeView(tree.viewId, { treeDataProvider: tree, showCollapseAll: tree === pools });
    tree.attach(view);
    context.subscriptions.push(view);
  }

  const reloadAll = (): Promise<void> => Promise.all(trees.map((tree) => tree.reload())).then(() => undefined);
  const refreshWithProgress = (): Promise<void> =>
    Promise.all(trees.map((tree) => vscode.window.withProgress({ location: { viewId: tree.viewId } }, () => tree.reload()))).then(() => undefined);
  // "cached, N min ago" in the views' headers while the cluster cannot be read (re-rendered each minute).
  const markStale = () => {
    const { cachedAt } = status.state;
    for (const tree of trees) tree.setStale(cachedAt === undefined ? undefined : cachedAge(cachedAt));
  };
  const staleTicker = setInterval(() => status.state.cachedAt !== undefined && markStale(), 60_000);
  const inventoryChanged = debounce(() => {
    void reloadAll();
    poolYaml.refreshOpen();
    void poolMaps.refresh();
  }, INVENTORY_REFRESH_DELAY_MS);

  // The estate changes on its own (a workload cluster's Service, node or state): only its view reloads.
  const estateChanged = debounce(() => void estate.reload(), INVENTORY_REFRESH_DELAY_MS);

  context.subscriptions.push(
    { dispose: () => inventoryChanged.cancel() },
    { dispose: () => estateChanged.cancel() },
    { dispose: () => clearInterval(staleTicker) },
    vscode.workspace.registerTextDocumentContentProvider(POOL_YAML_SCHEME, poolYaml),
    vscode.workspace.registerTextDocumentContentProvider(RULE_HELP_SCHEME, ruleHelp),
    vscode.workspace.onDidCloseTextDocument((document) => poolYaml.forget(document)),
    client.onNotification(InventoryChangedNotification, () => inventoryChanged()),
    client.onNotification(EstateChangedNotification, () => estateChanged()),
    client.onNotification(ConnectionStateNotification, (state: ConnectionState) => {
      const previous = status.state.state;
      status.update(state);
      markStale();
      if (previous !== state.state) inventoryChanged();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('capiIpam.kubeconfig')) askAboutKubeconfig();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      askAboutKubeconfig();
      status.update({ state: 'connecting', reason: 'workspace trusted' });
      server.trustChanged(true).catch((error: unknown) => output.error(`trust notification failed: ${errorMessage(error)}`));
    }),
    vscode.commands.registerCommand('capiIpam.selectContext', () => selectContext(server, approval)),
    vscode.commands.registerCommand('capiIpam.useOffline', () => writeSetting('offline', true)),
    vscode.commands.registerCommand('capiIpam.refresh', refreshWithProgress),
    vscode.commands.registerCommand('capiIpam.allocate', (args?: AllocateArgs) => allocate(server, args, () => status.state)),
    vscode.commands.registerCommand('capiIpam.retry', () => retryNow(server, status)),
    vscode.commands.registerCommand('capiIpam.release', (args?: ReleaseArgs) => release(server, args)),
    vscode.commands.registerCommand('capiIpam.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('capiIpam.showRuleHelp', (code?: string) => ruleHelp.show(code)),
    vscode.commands.registerCommand('capiIpam.showPoolMap', (node?: { pool?: PoolView }) => showPoolMap(server, poolMaps, node?.pool)),
    vscode.commands.registerCommand('capiIpam.copyAddress', copyAddress),
    vscode.commands.registerCommand('capiIpam.openPoolYaml', openPoolYaml),
    vscode.commands.registerCommand('capiIpam.revealLocation', revealLocation),
    vscode.commands.registerCommand('capiIpam.generatePolicy', (format?: 'vap' | 'kyverno') => generatePolicy(server, format)),
  );

  try {
    await client.start();
    askAboutKubeconfig();
  } catch (error) {
    output.error(`The CAPI IPAM language server did not start: ${errorMessage(error)}`);
    void vscode.window.showErrorMessage('The CAPI IPAM language server did not start; see the CAPI IPAM output.', 'Show Output').then((answer) => {
      if (answer) output.show(true);
    });
  }

  return {
    client,
    server,
    trees: { pools, loadBalancers, kubeVipRanges, estate },
    poolMaps,
    connection: () => status.state,
    refresh: reloadAll,
  };
}

/** From a Pools view item, or a pool picked from the list. */
async function showPoolMap(server: IpamServer, maps: PoolMaps, pool?: PoolView): Promise<void> {
  if (!pool) {
    const pools = await server.pools().catch(() => [] as PoolView[]);
    const picked = await vscode.window.showQuickPick(
      pools.map((p) => ({ label: poolLabel(p), description: `${p.kind} · ${p.free} free`, pool: p })),
      { title: 'CAPI IPAM: pool map', placeHolder: 'Pool to draw' },
    );
    pool = picked?.pool;
  }
  if (pool) await maps.show(pool.id, poolLabel(pool));
}

/** "Retry now": the server reconnects at once; the status item follows through its notifications. */
async function retryNow(server: IpamServer, status: ConnectionStatus): Promise<void> {
  if (!vscode.workspace.isTrusted) return;
  try {
    await server.retry();
  } catch (error) {
    void vscode.window.showErrorMessage(`CAPI IPAM could not retry: ${errorMessage(error)}`);
    return;
  }
  status.retrying();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
