// The CLI's live allocation: kubeconfig → discovery → claim → wait → rewrite the files.
import { vipEdits } from '../engine/edits';
import { claimDocumentEdit } from '../engine/claimDocument';
import type { WorkloadCluster } from '../engine/model/types';
import type { Workspace } from '../engine/workspace';
import { readInventory } from '../live/snapshot';
import { type ClusterRef, claimAddress, clusterClaims, clusterExists, deleteClaim } from '../live/allocator';
import { loadKubeConfig } from '../live/kube';
import { discover } from '../live/resources';
import { choosePool, writeEdits } from './allocate';

export interface LiveAllocateOptions {
  pool?: string;
  kubeconfig?: string;
  context?: string;
  writeClaim?: boolean;
  timeoutSeconds: number;
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
      const text = ws.text(uri)!;
      // The claim document goes after every other edit of that file (appended at its end).
      edits.push(...claimDocumentEdit(cluster, text, { kind: pool.kind, name: pool.name }, { apiVersion: `${claimsResource.group}/${claimsResource.version}`, clusterExists: exists }));
    }
    const files = writeEdits(ws, edits);
    return { address: allocation.address, claim: allocation.claim, files };
  } catch (e) {
    if (allocation.created) await deleteClaim(kc, resources, allocation.claim).catch(() => undefined);
    throw e;
  }
}

export async function releaseLive(cluster: ClusterRef, target: { kubeconfig?: string; context?: string }): Promise<string | undefined> {
  const { kc } = loadKubeConfig(target);
  const resources = await discover(kc, 10_000);
  const names = await clusterClaims(kc, resources, cluster);
  for (const name of names) await deleteClaim(kc, resources, { name, namespace: cluster.namespace });
  return names.length ? names.join(', ') : undefined;
}
