// The CLI's live allocation: kubeconfig → discovery → the engine's pool order → live/allocation.ts
// (claim → wait) → rewrite the files.
import { type AnalysisHost, type WorkloadCluster, allocationEdits, clusterFile } from '../engine/index';
import { readInventory } from '../live/snapshot';
import { ClaimHeld, type ClusterRef, clusterExists } from '../live/allocator';
import { allocateVip } from '../live/allocation';
import { loadKubeConfig } from '../live/kube';
import { claimsHoldingVip, releaseClaim, ReleaseError } from '../live/release';
import type { ClaimRef, ReleaseTarget } from '../protocol';
import { writeEdits } from './allocate';
import type { RenderMap } from '../render/mapping';
import type { ClaimWriter } from './render';

export interface LiveAllocateOptions {
  pool?: string;
  kubeconfig?: string;
  context?: string;
  writeClaim?: boolean;
  /** The cluster's claim exists already: write its address (`--keep`) instead of failing. */
  keep?: boolean;
  timeoutSeconds: number;
  /** The bound of each request (`--request-timeout`). */
  requestTimeoutMs: number;
  /** Renderings the cluster comes from: the edits go to their sources. */
  maps?: RenderMap[];
  /** For a rendered cluster: writes the claim into its chart or overlay. */
  claimWriter?: ClaimWriter;
}

export async function allocateLive(ws: AnalysisHost, cluster: WorkloadCluster, opts: LiveAllocateOptions) {
  const { kc } = loadKubeConfig({ kubeconfig: opts.kubeconfig, context: opts.context });
  const { inventory, resources } = await readInventory(kc, opts.requestTimeoutMs);
  // Ranked with what the files know too: their clusters' VIPs and machine templates' node pools.
  ws.setLiveInventory(inventory);
  const pool = ws.snapshot().candidatePools(cluster, opts.pool, 'live')[0];
  if (!pool) throw new Error(`no pool of the management cluster is usable from namespace ${cluster.namespace}; pass --pool`);
  const ref: ClusterRef = { name: cluster.name, namespace: cluster.namespace };
  const exists = await clusterExists(kc, resources, ref, opts.requestTimeoutMs);
  const claimPool = { kind: pool.kind, name: pool.name };
  const allocateOpts = {
    timeoutMs: opts.timeoutSeconds * 1000,
    requestTimeoutMs: opts.requestTimeoutMs,
    keepExisting: opts.keep === true,
    clusterExists: exists,
    exhaustion: (p: typeof claimPool) => ws.snapshot().exhaustion(p),
  };
  return allocateVip({ kc, resources }, ref, claimPool, allocateOpts, async (allocation) => {
    const claimsResource = resources.find((r) => r.kind === 'IPAddressClaim')!;
    const options = { apiVersion: `${claimsResource.group}/${claimsResource.version}`, clusterExists: exists };
    // A kept claim exists already (and may be written elsewhere): it is not written again.
    const claim =
      opts.writeClaim && allocation.created ? { pool: claimPool, options, text: ws.text(clusterFile(cluster))!, writer: opts.claimWriter } : undefined;
    const files = writeEdits(ws, allocationEdits(cluster, allocation.address, claim), opts.maps);
    return { address: allocation.address, claim: allocation.claim, files };
  }).catch((e: unknown) => {
    if (e instanceof ClaimHeld) throw new Error(`${e.message} (--keep writes ${e.address ?? 'it'} into the files)`);
    throw e;
  });
}

export type ReleaseWhat = { claim: ClaimRef; foreign: boolean } | { cluster: ClusterRef; vips: string[] };

/** Deletes one claim: the one named, or the one holding the cluster's VIP (only if capi-ipam created it). */
export async function releaseLive(what: ReleaseWhat, target: { kubeconfig?: string; context?: string; requestTimeoutMs: number }): Promise<ReleaseTarget> {
  const { kc } = loadKubeConfig(target);
  const { inventory, resources } = await readInventory(kc, target.requestTimeoutMs);
  const requestTimeoutMs = target.requestTimeoutMs;
  if ('claim' in what) return releaseClaim(kc, resources, what.claim, { foreign: what.foreign, inventory, requestTimeoutMs });
  const id = `${what.cluster.namespace}/${what.cluster.name}`;
  const refs = claimsHoldingVip(what.cluster, what.vips, inventory);
  if (refs.length === 0) throw new ReleaseError(`no IPAddressClaim holds the VIP of cluster ${id}: nothing to release`);
  if (refs.length > 1)
    throw new ReleaseError(
      `several IPAddressClaims hold the VIP of cluster ${id} (${refs.map((r) => r.name).join(', ')}): name one with --claim NAMESPACE/NAME`,
    );
  const ref = refs[0]!;
  try {
    return await releaseClaim(kc, resources, ref, { foreign: false, inventory, requestTimeoutMs });
  } catch (e) {
    if (!/not created by capi-ipam/.test((e as Error).message)) throw e;
    throw new ReleaseError(
      `${(e as Error).message.replace(/, confirm this claim by name to delete it$/, '')}. To delete it anyway: capi-ipam release --claim ${ref.namespace}/${ref.name} --foreign`,
    );
  }
}
