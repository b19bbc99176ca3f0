// Allocation in the language server: "Allocate IP from pool …" code actions, the allocate request
// (live/allocation.ts: claim → wait for the provider's IPAddress → one versioned edit, the claim
// deleted on any failure) and release (one named claim, never offered as a quick fix).
import { type CancellationToken, type CodeAction, CodeActionKind, type Connection, ResponseError } from 'vscode-languageserver';
import { type AnalysisHost, type ClusterRef, type Snapshot, type TextEdit, type WorkloadCluster, allocationEdits, clusterFile } from '../engine/index';
import { AllocationError, ClaimHeld } from '../live/allocator';
import { allocateVip, Rollback } from '../live/allocation';
import { claimsHoldingVip, describeClaim, releaseClaim } from '../live/release';
import type { AllocateParams, AllocateResult, AllocationHeld, ReleaseParams, ReleaseResult, ReleaseTarget, ReleaseTargetParams } from '../protocol';
import type { ClusterConnection } from './clusterConnection';
import { toDiagnostic, toWorkspaceEdit } from './edits';
import type { Positions } from './positions';
import type { ServerSettings } from './settings';

/**
 * The plan's "Allocate IP from pool …" choices as code actions; `blocked`: why they cannot run now (the
 * cluster is unreachable): offered disabled, with that reason.
 */
export function allocationActions(
  snapshot: Snapshot,
  cluster: WorkloadCluster,
  at: { uri: string; start: number; end: number },
  defaultPool: string,
  positions: Positions,
  blocked?: string,
): CodeAction[] {
  const { resolves, choices } = snapshot.allocationChoices(cluster, at, defaultPool);
  const ref: ClusterRef = { name: cluster.name, namespace: cluster.namespace };
  return choices.map((c) => ({
    title: c.title,
    kind: CodeActionKind.QuickFix,
    isPreferred: c.preferred && !blocked,
    ...(blocked ? { disabled: { reason: blocked } } : {}),
    diagnostics: resolves.map((f) => toDiagnostic(f, positions)),
    command: { title: 'Allocate IP', command: 'capiIpam.allocate', arguments: [{ uri: at.uri, cluster: ref, poolId: c.poolId }] },
  }));
}

export interface AllocationContext {
  connection: Connection;
  host: AnalysisHost;
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
    const { host } = this.ctx;
    const id = `${p.cluster.namespace}/${p.cluster.name}`;
    if (!host.snapshot().cluster(p.cluster)) throw new ResponseError(1, `cluster ${id} is not in the workspace`);
    const wasOpen = this.ctx.isOpen(p.uri);
    const abort = new AbortController();
    token?.onCancellationRequested(() => abort.abort());
    const pool = { kind: p.pool.kind, name: p.pool.name };
    const opts = {
      timeoutMs: this.ctx.settings().allocate.timeoutSeconds * 1000,
      requestTimeoutMs: this.ctx.settings().requestTimeoutSeconds * 1000,
      keepExisting: p.keep === true,
      signal: abort.signal,
      clusterExists: !!live.raw('Cluster', p.cluster.namespace, p.cluster.name),
      exhaustion: (q: typeof pool) => host.snapshot().exhaustion(q),
    };
    try {
      const allocation = await allocateVip({ kc: live.config.kc, resources: live.resources }, p.cluster, pool, opts, async (allocation) => {
        if (token?.isCancellationRequested) throw new Rollback('allocation cancelled');
        if (wasOpen && !this.ctx.isOpen(p.uri)) throw new Rollback(`${p.uri} was closed during the allocation`);
        const cluster = host.snapshot().cluster(p.cluster);
        if (!cluster) throw new Rollback(`cluster ${id} disappeared from the workspace during the allocation`);
        const edits = this.edits(cluster, allocation.address, pool, allocation.created, live);
        const r = await this.ctx.connection.workspace
          .applyEdit({ label: `Allocate ${allocation.address} to ${id}`, edit: toWorkspaceEdit(edits, this.ctx.positions, this.ctx.versionOf) })
          .catch((e: unknown) => {
            throw e instanceof ResponseError ? e : new Rollback(`the edit could not be applied: ${(e as Error).message}`);
          });
        if (!r.applied) throw new Rollback(`the edit was not applied${r.failureReason ? ` (${r.failureReason})` : ' (the document changed meanwhile?)'}`);
        return allocation;
      });
      this.ctx.connection.console.log(`allocated ${allocation.address} to ${id} (IPAddressClaim ${allocation.claim.namespace}/${allocation.claim.name})`);
      return { address: allocation.address, claim: allocation.claim };
    } catch (e) {
      // The Output channel keeps every failure: a notification can be dismissed unread.
      this.ctx.connection.console.error(`allocation for ${id} from ${pool.kind} ${pool.name} failed: ${(e as Error).message}`);
      if (e instanceof ClaimHeld)
        throw new ResponseError<AllocationHeld>(1, e.message, { held: { claim: e.claim, address: e.address, pool: { kind: e.pool.kind, name: e.pool.name } } });
      throw e instanceof AllocationError ? new ResponseError(1, e.message) : e;
    }
  }

  /** The address into every VIP place; for a rendered cluster into its values keys or patches instead (the claim is left to `capi-ipam allocate --write-claim`). */
  private edits(
    cluster: WorkloadCluster,
    address: string,
    pool: { kind: string; name: string },
    created: boolean,
    live: NonNullable<ClusterConnection['cluster']>,
  ): TextEdit[] {
    const uri = clusterFile(cluster);
    if (this.ctx.rendered?.isRendering(uri)) {
      const moved = this.ctx.rendered.sourceEdits(allocationEdits(cluster, address));
      if (!moved) throw new Rollback(`some VIP places of ${cluster.namespace}/${cluster.name} come from no values key or patch that can be edited`);
      return moved;
    }
    if (!this.ctx.settings().allocate.writeClaim || !created) return allocationEdits(cluster, address);
    const claims = live.resource('IPAddressClaim')!;
    const options = { apiVersion: `${claims.group}/${claims.version}`, clusterExists: !!live.raw('Cluster', cluster.namespace, cluster.name) };
    return allocationEdits(cluster, address, { pool, options, text: this.ctx.host.text(uri) ?? '' });
  }

  /** The one claim a release would delete: named, or the one holding the cluster's VIP. */
  releaseTarget(p: ReleaseTargetParams): ReleaseTarget {
    const live = this.liveOrFail();
    const inventory = live.inventory();
    let ref = 'claim' in p ? p.claim : undefined;
    if (!ref && 'cluster' in p) {
      const id = `${p.cluster.namespace}/${p.cluster.name}`;
      const refs = claimsHoldingVip(p.cluster, this.ctx.host.snapshot().vips(p.cluster), inventory);
      if (refs.length === 0) throw new ResponseError(1, `no IPAddressClaim holds the VIP of cluster ${id}: nothing to release`);
      if (refs.length > 1)
        throw new ResponseError(
          1,
          `several IPAddressClaims hold the VIP of cluster ${id} (${refs.map((r) => r.name).join(', ')}): release one from the Pools view`,
        );
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
      const released = await releaseClaim(live.config.kc, live.resources, p.claim, {
        uid: p.uid,
        foreign: p.foreignConfirmed === true,
        inventory: live.inventory(),
      });
      this.ctx.connection.console.log(
        `released IPAddressClaim ${released.claim.namespace}/${released.claim.name}${released.address ? ` (${released.address})` : ''}`,
      );
      return { released };
    } catch (e) {
      throw new ResponseError(1, (e as Error).message);
    }
  }
}
