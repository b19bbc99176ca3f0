// Allocation in the language server: "Allocate IP from pool …" code actions, the allocate request
// (claim → wait for the provider's IPAddress → one versioned edit, the claim deleted on any failure)
// and release (one named claim, never offered as a quick fix).
import { type CancellationToken, type CodeAction, CodeActionKind, type Connection, ResponseError } from 'vscode-languageserver';
import { claimDocumentEdit } from '../engine/claimDocument';
import { vipEdits } from '../engine/edits';
import { NEEDS_NEW_ADDRESS } from '../engine/fixes';
import { clusterId } from '../engine/model/clusters';
import type { WorkloadCluster } from '../engine/model/types';
import type { TextEdit } from '../engine/types';
import { ipPlaces, poolLabel } from '../engine/rules/context';
import { poolUsage } from '../engine/usage';
import { rankPools, roleSuffix } from '../engine/ranking';
import type { Analysis, Workspace } from '../engine/workspace';
import { AllocationError, claimAddress, deleteClaim } from '../live/allocator';
import { briefStatus } from '../live/kube';
import { claimsHoldingVip, describeClaim, releaseClaim } from '../live/release';
import type { AllocateParams, AllocateResult, ReleaseParams, ReleaseResult, ReleaseTarget, ReleaseTargetParams } from '../protocol';
import type { ClusterConnection } from './clusterConnection';
import { toDiagnostic, toWorkspaceEdit } from './edits';
import type { Positions } from './positions';
import type { ServerSettings } from './settings';
import { poolId } from '../engine/features/views';

/** A live allocation also replaces a value that is not an address at all. */
const ADDRESS_CODES = new Set([...NEEDS_NEW_ADDRESS, 'invalid-ip']);

/**
 * "Allocate IP from pool …" (one per live pool with room, in the order of `rankPools`);
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
  /** Whether a uri is a rendered chart or overlay, and its edits moved to the sources (undefined: not possible). */
  rendered?: { isRendering(uri: string): boolean; sourceEdits(edits: TextEdit[]): TextEdit[] | undefined };
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
      // Anything but our own errors is an API error: its code and reason only (client-node's message carries headers and body).
      throw new ResponseError(1, e instanceof AllocationError ? `${e.message}${exhausted ? ` — ${exhausted}` : ''}` : `IPAddressClaim request failed: ${briefStatus(e)}`);
    }
    const cleanup = async (why: string): Promise<never> => {
      if (allocation.created) await deleteClaim(live.config.kc, live.resources, allocation.claim).catch(() => undefined);
      throw new ResponseError(1, `${why}; the IPAddressClaim ${allocation.claim.namespace}/${allocation.claim.name} was deleted, no address is held`);
    };
    if (token?.isCancellationRequested) return cleanup('allocation cancelled');
    if (wasOpen && !this.ctx.isOpen(p.uri)) return cleanup(`${p.uri} was closed during the allocation`);
    const cluster = this.ctx.workspace.cluster(id);
    if (!cluster) return cleanup(`cluster ${id} disappeared from the workspace during the allocation`);
    let edits = vipEdits(cluster, allocation.address);
    const rendered = this.ctx.rendered?.isRendering(cluster.cluster?.uri ?? cluster.anchor.uri);
    if (rendered) {
      // A rendered cluster: the values keys or patches change; the claim is left to `capi-ipam allocate --write-claim`.
      const moved = this.ctx.rendered!.sourceEdits(edits);
      if (!moved) return cleanup(`some VIP places of ${id} come from no values key or patch that can be edited`);
      edits = moved;
    } else if (this.ctx.settings().allocate.writeClaim && allocation.created) {
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

  /** The one claim a release would delete: named, or the one holding the cluster's VIP. */
  releaseTarget(p: ReleaseTargetParams): ReleaseTarget {
    const live = this.liveOrFail();
    const inventory = live.inventory();
    let ref = 'claim' in p ? p.claim : undefined;
    if (!ref && 'cluster' in p) {
      const cluster = this.ctx.workspace.cluster(clusterId(p.cluster));
      const refs = claimsHoldingVip(p.cluster, cluster ? ipPlaces(cluster).map((x) => x.ip) : [], inventory);
      if (refs.length === 0) throw new ResponseError(1, `no IPAddressClaim holds the VIP of cluster ${clusterId(p.cluster)}: nothing to release`);
      if (refs.length > 1) throw new ResponseError(1, `several IPAddressClaims hold the VIP of cluster ${clusterId(p.cluster)} (${refs.map((r) => r.name).join(', ')}): release one from the Pools view`);
      ref = refs[0];
    }
    if (!ref) throw new ResponseError(1, 'name a claim or a cluster');
    const raw = live.raw('IPAddressClaim', ref.namespace, ref.name);
    if (!raw) throw new ResponseError(1, `no IPAddressClaim ${ref.namespace}/${ref.name} in the management cluster: nothing to release`);
    return describeClaim(raw, inventory);
  }

  async release(p: ReleaseParams): Promise<ReleaseResult> {
    const live = this.liveOrFail();
    try {
      const released = await releaseClaim(live.config.kc, live.resources, p.claim, { uid: p.uid, foreign: p.foreignConfirmed === true, inventory: live.inventory() });
      this.ctx.connection.console.log(`released IPAddressClaim ${released.claim.namespace}/${released.claim.name}${released.address ? ` (${released.address})` : ''}`);
      return { released };
    } catch (e) {
      throw new ResponseError(1, (e as Error).message);
    }
  }
}
