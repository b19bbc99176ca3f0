// The CLI's live allocation: kubeconfig → discovery → claim → wait → rewrite the files.
import { vipEdits } from '../engine/edits';
import { claimDocumentEdit } from '../engine/claimDocument';
import type { WorkloadCluster } from '../engine/model/types';
import type { Workspace } from '../engine/workspace';
import { readInventory } from '../live/snapshot';
import { type ClusterRef, claimAddress, clusterExists, deleteClaim } from '../live/allocator';
import { loadKubeConfig } from '../live/kube';
import { claimsHoldingVip, releaseClaim, ReleaseError } from '../live/release';
import type { ClaimRef, ReleaseTarget } from '../protocol';
import { choosePool, writeEdits } from './allocate';
import type { RenderMap } from '../render/mapping';
import type { ClaimWriter } from './render';

export interface LiveAllocateOptions {
  pool?: string;
  kubeconfig?: string;
  context?: string;
  writeClaim?: boolean;
  timeoutSeconds: number;
  /** Renderings the cluster comes from: the edits go to their sources. */
  maps?: RenderMap[];
  /** For a rendered cluster: writes the claim into its chart or overlay. */
  claimWriter?: ClaimWriter;
}

export async function allocateLive(ws: Workspace, cluster: WorkloadCluster, opts: LiveAllocateOptions) {
  const { kc } = loadKubeConfig({ kubeconfig: opts.kubeconfig, context: opts.context });
  const { inventory, resources } = await readInventory(kc);
  // Ranked with what the files know too: their clusters' VIPs and machine templates' node pools.
  ws.setLiveInventory(inventory);
  const candidates = choosePool(ws.analyze(), cluster, opts.pool, 'live');
  const pool = candidates[0];
  if (!pool) throw new Error(`no pool of the management cluster is usable from namespace ${cluster.namespace}; pass --pool`);
  const ref: ClusterRef = { name: cluster.name, namespace: cluster.namespace };
  const exists = await clusterExists(kc, resources, ref);
  const allocation = await claimAddress(kc, resources, ref, { kind: pool.kind, name: pool.name }, { timeoutMs: opts.timeoutSeconds * 1000, clusterExists: exists });
  try {
    const edits = vipEdits(cluster, allocation.address);
    if (opts.writeClaim) {
      const uri = cluster.cluster?.uri ?? cluster.anchor.uri;
      const claimsResource = resources.find((r) => r.kind === 'IPAddressClaim')!;
      const claimPool = { kind: pool.kind, name: pool.name };
      const claimOpts = { apiVersion: `${claimsResource.group}/${claimsResource.version}`, clusterExists: exists };
      // The claim document goes after every other edit of that file (appended at its end).
      edits.push(...(opts.claimWriter ? opts.claimWriter(claimPool, claimOpts) : claimDocumentEdit(cluster, ws.text(uri)!, claimPool, claimOpts)));
    }
    const files = writeEdits(ws, edits, opts.maps);
    return { address: allocation.address, claim: allocation.claim, files };
  } catch (e) {
    if (allocation.created) await deleteClaim(kc, resources, allocation.claim).catch(() => undefined);
    throw e;
  }
}

export type ReleaseWhat = { claim: ClaimRef; foreign: boolean } | { cluster: ClusterRef; vips: string[] };

/** Deletes one claim: the one named, or the one holding the cluster's VIP (only if capi-ipam created it). */
export async function releaseLive(what: ReleaseWhat, target: { kubeconfig?: string; context?: string }): Promise<ReleaseTarget> {
  const { kc } = loadKubeConfig(target);
  const { inventory, resources } = await readInventory(kc);
  if ('claim' in what) return releaseClaim(kc, resources, what.claim, { foreign: what.foreign, inventory });
  const id = `${what.cluster.namespace}/${what.cluster.name}`;
  const refs = claimsHoldingVip(what.cluster, what.vips, inventory);
  if (refs.length === 0) throw new ReleaseError(`no IPAddressClaim holds the VIP of cluster ${id}: nothing to release`);
  if (refs.length > 1) throw new ReleaseError(`several IPAddressClaims hold the VIP of cluster ${id} (${refs.map((r) => r.name).join(', ')}): name one with --claim NAMESPACE/NAME`);
  const ref = refs[0]!;
  try {
    return await releaseClaim(kc, resources, ref, { foreign: false, inventory });
  } catch (e) {
    if (!/not created by capi-ipam/.test((e as Error).message)) throw e;
    throw new ReleaseError(`${(e as Error).message.replace(/, confirm this claim by name to delete it$/, '')}. To delete it anyway: capi-ipam release --claim ${ref.namespace}/${ref.name} --foreign`);
  }
}
