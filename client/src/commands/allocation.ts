// capiIpam.allocate and capiIpam.release: claim a control-plane VIP for the cluster at the cursor
// from a pool, or delete one named claim. The server does the cluster work; this side picks and confirms.
import * as vscode from 'vscode';
import type { AllocateResult, AllocationHeld, ClusterRef, ConnectionState, PoolView, ReleaseTarget } from '../../../server/src/protocol';
import type { IpamServer } from '../ipamServer';
import type { CommandTarget } from '../trees/commandTarget';
import { poolLabel } from '../trees/poolsTree';
import { allocationBlocked } from '../statusText';
import { errorMessage } from '../wire';
import { claimLabel, releasePrompt } from './releasePrompt';

export interface AllocateArgs extends CommandTarget {
  /** Document that receives the address; default: the active editor. */
  uri?: string;
}

export async function allocate(server: IpamServer, args: AllocateArgs = {}, connection?: () => ConnectionState): Promise<AllocateResult | undefined> {
  if (!requireTrust('Allocating an address')) return undefined;
  const blocked = connection && allocationBlocked(connection());
  if (blocked) {
    const retry = 'Retry Now';
    if ((await vscode.window.showWarningMessage(blocked, retry)) === retry) await vscode.commands.executeCommand('capiIpam.retry');
    return undefined;
  }
  const target = await targetDocument(server, args);
  if (!target) return undefined;
  const { uri, cluster } = target;
  const pool = args.pool ?? (await pickPool(server, cluster, args.poolId));
  if (!pool) return undefined;
  const request = (keep: boolean) =>
    vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Allocating a VIP for ${cluster.namespace}/${cluster.name} from ${poolLabel(pool)}`,
        cancellable: true,
      },
      (_progress, token) => server.allocate({ uri, cluster, pool: { kind: pool.kind, name: pool.name, namespace: pool.namespace }, keep }, token),
    );
  try {
    let result: AllocateResult;
    try {
      result = await request(false);
    } catch (error) {
      // The cluster's claim holds an address already: say so, and offer to keep it; never replace it silently.
      const held = (error as { data?: Partial<AllocationHeld> }).data?.held;
      if (!held) throw error;
      const address = held.address ?? 'an address';
      const keep = `Keep ${address}`;
      const answer = await vscode.window.showWarningMessage(
        `${cluster.namespace}/${cluster.name} already holds ${address} from ${held.pool.kind} ${held.pool.name}.`,
        {
          modal: true,
          detail: `IPAddressClaim ${held.claim.namespace}/${held.claim.name} holds it. ${keep} writes it into every VIP place of the cluster; for another address, release this claim first (Release VIP).`,
        },
        keep,
      );
      if (answer !== keep) return undefined;
      result = await request(true);
    }
    void vscode.window.showInformationMessage(
      `Allocated ${result.address} to ${cluster.namespace}/${cluster.name} (IPAddressClaim ${result.claim.namespace}/${result.claim.name}).`,
    );
    return result;
  } catch (error) {
    void showFailure(`Could not allocate a VIP for ${cluster.namespace}/${cluster.name} from ${poolLabel(pool)}: ${errorMessage(error)}`);
    return undefined;
  }
}

export interface ReleaseArgs extends CommandTarget {
  /** `namespace/name` of the claim the caller confirmed (tests, other extensions): no prompt if it is the one resolved. */
  confirmedClaim?: string;
}

/** Release VIP: resolve the one claim (named by a Pools item, or holding the cluster's VIP), confirm it, delete it. */
export async function release(server: IpamServer, args: ReleaseArgs = {}): Promise<boolean> {
  if (!requireTrust('Releasing an address')) return false;
  const cluster = args.claim ? undefined : (args.cluster ?? (await targetDocument(server, {}))?.cluster);
  if (!args.claim && !cluster) return false;
  let target: ReleaseTarget;
  try {
    target = await server.releaseTarget(args.claim ? { claim: args.claim } : { cluster: cluster! });
  } catch (error) {
    void vscode.window.showWarningMessage(`Release VIP: ${errorMessage(error)}`);
    return false;
  }
  const claim = claimLabel(target);
  if (args.confirmedClaim !== claim) {
    const prompt = releasePrompt(target);
    const answer = await vscode.window.showWarningMessage(prompt.message, { modal: true, detail: prompt.detail }, prompt.confirm);
    if (answer !== prompt.confirm) return false;
  }
  try {
    const { released } = await server.release({ claim: target.claim, uid: target.uid, foreignConfirmed: !target.ours });
    void vscode.window.showInformationMessage(`Released ${released.address ?? 'the address'}: IPAddressClaim ${claimLabel(released)} deleted.`);
    return true;
  } catch (error) {
    void showFailure(`Could not release IPAddressClaim ${claim}: ${errorMessage(error)}`);
    return false;
  }
}

function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`${action} needs a trusted workspace: CAPI IPAM does not contact a cluster in Restricted Mode.`);
  return false;
}

/** The document and cluster to act on: from the arguments, else the server's answer for the cursor. */
async function targetDocument(server: IpamServer, args: AllocateArgs): Promise<{ uri: string; cluster: ClusterRef } | undefined> {
  const editor = vscode.window.activeTextEditor;
  const uri = args.uri ?? editor?.document.uri.toString();
  const document = editor && (!args.uri || editor.document.uri.toString() === args.uri) ? editor.document : undefined;
  const cluster = args.cluster ?? (document ? await server.clusterAt(document.uri.toString(), editor!.selection.active).catch(() => undefined) : undefined);
  if (!uri || !cluster) {
    void vscode.window.showWarningMessage(
      'Place the cursor in a Cluster manifest (or an object labelled cluster.x-k8s.io/cluster-name) to choose the cluster.',
    );
    return undefined;
  }
  return { uri, cluster };
}

/** The server ranks (the same order as the quick fixes); this side only shows the list. */
async function pickPool(server: IpamServer, cluster: ClusterRef, preselectedId?: string): Promise<PoolView | undefined> {
  let pools: PoolView[];
  try {
    pools = await server.rankedPools(cluster);
  } catch (error) {
    void showFailure(`Could not list the pools: ${errorMessage(error)}`);
    return undefined;
  }
  if (preselectedId) {
    const pool = pools.find((candidate) => candidate.id === preselectedId);
    if (pool) return pool;
    const [kind, namespace, name] = preselectedId.split('/');
    const why =
      kind === 'InClusterIPPool' && namespace !== cluster.namespace
        ? `an InClusterIPPool serves only its own namespace (${namespace})`
        : 'it is not a valid pool of the connected management cluster';
    void vscode.window.showWarningMessage(
      `Pool ${namespace ? `${namespace}/` : ''}${name} cannot be used by cluster ${cluster.namespace}/${cluster.name}: ${why}.`,
    );
    return undefined;
  }
  if (pools.length === 0) {
    void vscode.window.showWarningMessage(
      `No pool of the management cluster is usable from namespace ${cluster.namespace}: select a management cluster, or add a GlobalInClusterIPPool or an InClusterIPPool in ${cluster.namespace}.`,
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    pools.map((pool) => ({
      label: poolLabel(pool),
      description: `${pool.kind} · ${pool.free} free${pool.role === 'vip' ? ' · VIP pool' : pool.role === 'node' ? ' · node pool' : ''}${pool.preferred ? ' · default' : ''}`,
      detail: pool.addresses.join(', '),
      pool,
    })),
    { title: 'CAPI IPAM: allocate from pool', placeHolder: 'Pool to allocate the control-plane VIP from' },
  );
  return picked?.pool;
}

async function showFailure(message: string): Promise<void> {
  const showOutput = 'Show Output';
  if ((await vscode.window.showErrorMessage(message, showOutput)) === showOutput) {
    await vscode.commands.executeCommand('capiIpam.showOutput');
  }
}
