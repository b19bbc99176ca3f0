// The CLI's only way to the management cluster. esbuild bundles it apart (dist/cli-live.js), so that an
// offline `check` or `pools` never loads @kubernetes/client-node: most runs are offline CI jobs.
import type { Inventory } from '../engine/index';
import { loadKubeConfig } from '../live/kube';
import { readInventory } from '../live/snapshot';

export { allocateLive, releaseLive } from './liveAllocate';
export { ReleaseError } from '../live/release';

export interface LiveTarget {
  kubeconfig?: string;
  context?: string;
  /** The bound of each request (`--request-timeout`). */
  requestTimeoutMs: number;
}

export async function readLiveInventory(target: LiveTarget): Promise<Inventory> {
  const { kc } = loadKubeConfig(target);
  return (await readInventory(kc, target.requestTimeoutMs)).inventory;
}
