// Allocation in the language server: "Allocate IP from pool …" code actions, the allocate request
// (claim → wait for the provider's IPAddress → one versioned edit, the claim deleted on any failure)
// and release.
import { type CancellationToken, type CodeAction, CodeActionKind, type Connection, ResponseError } from 'vscode-languageserver';
import { claimDocumentEdit } from '../engine/claimDocument';
import { vipEdits } from '../engine/edits';
import { NEEDS_NEW_ADDRESS } from '../engine/fixes';
import { clusterId, vipClaimName } from '../engine/model/clusters';
import type { WorkloadCluster } from '../engine/model/types';
import { poolLabel } from '../engine/rules/context';
import { poolUsage } from '../engine/usage';
import { rankPools, roleSuffix } from '../engine/ranking';
import type { Analysis, Workspace } from '../engine/workspace';
import { AllocationError, claimAddress, clusterClaims, deleteClaim } from '../live/allocator';
import type { AllocateParams, AllocateResult, ReleaseParams } from '../protocol';
import type { ClusterConnection } from './clusterConnection';
import { toDiagnostic, toWorkspaceEdit } from './edits';
import type { Positions } from './positions';
import type { ServerSettings } from './settings';
import { poolId } from './views';

/** A live allocation also replaces a value that is not an address at all. */
const ADDRESS_CODES = new Set([...NEEDS_NEW_ADDRESS, 'invalid-ip']);

/**
 * "Allocate IP from pool …" (one per live pool with room, in the order of `rankPools`) and "Release IP";
 * `blocked`: why they cannot run now (the cluster is unreachable): offered disabled, with that reason.
 */
export function allocationActions(a: Analysis, cluster: WorkloadCluster, at: { uri: string; start: number; end: number }, defaultPool: string, positions: Positions, blocked?: string): CodeAction[] {
  const { uri, start, end } = at;
  const actions: CodeAction[] = [];
  const overlaps = (f: { uri: string; span: { start: number; end: number } }) => f.uri === uri && f.span.start <= end && start <= f.span.end;
  const atPlace = cluster.places.some(overlaps);
  const problems = a.findings.filter((f) => overlaps(f) && ADDRESS_CODES.has(f.code));
  if (atPlace && (problems.length || cluster.places.some((p) => p.value === ''))) {
    const pools = rankPools(a, cluster, { defaultPool, from: 'live' }).filter(({ usage }) => usage.firstFree !== undefined);
    pools.forEach(({ pool: p, usage: u, role, preferred }, i) => actions.push({
      title: `Allocate IP from pool ${p.name} (${u.status.free < 0n ? 0n : u.status.free} free${roleSuffix(role)})`,
      kind: CodeActionKind.QuickFix,
      isPreferred: i === 0 && preferred && !blocked,
      ...(blocked ? { disabled: { reason: blocked } } : {}),
      diagnostics: problems.map((f) => toDiagnostic(f, positions)),
      command: { title: 'Allocate IP', command: 'capiIpam.allocate', arguments: [{ uri, cluster: { name: cluster.name, namespace: cluster.namespace }, poolId: poolId(p) }] },
    }));
  }
  const held = a.inventory.addresses.some((x) => x.namespace === cluster.namespace && cluster.claimNames.includes(x.claimName));
  if (held) {
    actions.push({ title: `Release IP of cluster ${cluster.name}`, kind: CodeActionKind.QuickFix, command: { title: 'Release IP', command: 'capiIpam.release', arguments: [{ cluster: { name: cluster.name, namespace: cluster.namespace } }] } });
  }
  return actions;
}

export interface AllocationContext {
  connection: Connection;
  workspace: Workspace;
  positions: Positions;
  isOpen(uri: string): boolean;
  versionOf(uri: string): number | null;
  settings(): ServerSettings;
  trusted(): boolean;
  cluster: ClusterConnection;
}

export class Allocations {
  constructor(private readonly ctx: AllocationContext) {}

  private liveOrFail() {
    if (!this.ctx.trusted()) throw new ResponseError(1, 'Restricted Mode: CAPI IPAM does not contact a cluster in an untrusted workspace');
    const live = this.ctx.cluster.cluster;
    const blocked = this.ctx.cluster.allocationBlocked;
    if (!live || blocked) throw new ResponseError(1, blocked ?? 'no management cluster connected');
    return live;
  }

  async allocate(p: AllocateParams, token: CancellationToken): Promise<AllocateResult> {
    const live = this.liveOrFail();
    const id = clusterId(p.cluster);
    if (!this.ctx.workspace.cluster(id)) throw new ResponseError(1, `cluster ${id} is not in the workspace`);
    const wasOpen = this.ctx.isOpen(p.uri);
    const abort = new AbortController();
    token?.onCancellationRequested(() => abort.abort());
    const pool = { kind: p.pool.kind, name: p.pool.name };
    let allocation;
    try {
      allocation = await claimAddress(live.config.kc, live.resources, p.cluster, pool, {
        timeoutMs: this.ctx.settings().allocate.timeoutSeconds * 1000, signal: abort.signal, clusterExists: !!live.raw('Cluster', p.cluster.namespace, p.cluster.name),
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
    if (wasOpen && !this.ctx.isOpen(p.uri)) return cleanup(`${p.uri} was closed during the allocation`);
    const cluster = this.ctx.workspace.cluster(id);
    if (!cluster) return cleanup(`cluster ${id} disappeared from the workspace during the allocation`);
    const edits = vipEdits(cluster, allocation.address);
    if (this.ctx.settings().allocate.writeClaim && allocation.created) {
      const claims = live.resource('IPAddressClaim')!;
      const uri = cluster.cluster?.uri ?? cluster.anchor.uri;
      edits.push(...claimDocumentEdit(cluster, this.ctx.workspace.text(uri) ?? '', pool, { apiVersion: `${claims.group}/${claims.version}`, clusterExists: !!live.raw('Cluster', cluster.namespace, cluster.name) }));
    }
    let applied = false;
    try {
      const r = await this.ctx.connection.workspace.applyEdit({ label: `Allocate ${allocation.address} to ${id}`, edit: toWorkspaceEdit(edits, this.ctx.positions, this.ctx.versionOf) });
      applied = r.applied;
      if (!applied) return cleanup(`the edit was not applied${r.failureReason ? ` (${r.failureReason})` : ' (the document changed meanwhile?)'}`);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      return cleanup(`the edit could not be applied: ${(e as Error).message}`);
    }
    this.ctx.connection.console.log(`allocated ${allocation.address} to ${id} (IPAddressClaim ${allocation.claim.namespace}/${allocation.claim.name})`);
    return { address: allocation.address, claim: allocation.claim };
  }

  private exhaustionMessage(pool: { kind: string; name: string }): string | undefined {
    const a = this.ctx.workspace.analyze();
    const p = a.inventory.pools.find((x) => x.kind === pool.kind && x.name === pool.name && !x.origin);
    if (!p) return undefined;
    const u = poolUsage(p, a.inventory, a.clusters);
    return u.firstFree ? undefined : `pool ${poolLabel(p)} is exhausted (${u.status.used} used of ${u.status.total})`;
  }

  async release(p: ReleaseParams): Promise<{ released: string[] }> {
    const live = this.liveOrFail();
    const names = await clusterClaims(live.config.kc, live.resources, p.cluster);
    if (names.length === 0) throw new ResponseError(1, `no IPAddressClaim of cluster ${p.cluster.namespace}/${p.cluster.name} (expected ${vipClaimName(p.cluster.name)})`);
    for (const name of names) await deleteClaim(live.config.kc, live.resources, { name, namespace: p.cluster.namespace });
    this.ctx.connection.console.log(`released ${names.join(', ')} of ${clusterId(p.cluster)}`);
    return { released: names };
  }
}
