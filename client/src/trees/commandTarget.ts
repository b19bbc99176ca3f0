// What the item commands need from their argument. Tree nodes carry these fields, so VS Code can
// pass a node from a context menu, and tests or other extensions can pass plain objects.
import type { ClaimRef, ClusterRef, PoolView, WireLocation } from '../../../server/src/protocol';

export interface CommandTarget {
  /** Copied by capiIpam.copyAddress. */
  address?: string;
  /** Opened by capiIpam.revealLocation. */
  location?: WireLocation;
  /** Pool id (`<kind>/<namespace>/<name>`) for capiIpam.openPoolYaml / capiIpam.allocate. */
  poolId?: string;
  pool?: PoolView;
  /** Cluster whose VIP capiIpam.release gives back (the claim holding it), unless `claim` names one. */
  cluster?: ClusterRef;
  /** The IPAddressClaim capiIpam.release deletes. */
  claim?: ClaimRef;
}
