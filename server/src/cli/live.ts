// The CLI's only way to the management cluster. esbuild bundles it apart (dist/cli-live.js), so that an
// offline `check` or `pools` never loads @kubernetes/client-node: most runs are offline CI jobs.
export { allocateLive, releaseLive } from './liveAllocate';
export { ReleaseError } from '../live/release';

/** The estate read once: every management cluster (`--context`…) and its workload clusters (`--workload-clusters`). */
export { readEstate, type EstateTarget, type EstateSnapshot } from '../live/estateSnapshot';
