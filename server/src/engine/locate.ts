// Where each cluster is written, indexed once per analysis: a code action or a cursor lookup in a
// file of 10,000 clusters costs a lookup and a binary search, not a scan of every cluster's places.
import type { WorkloadCluster } from './model/types';
import type { Span } from './types';

interface Entry {
  span: Span;
  cluster: WorkloadCluster;
}

const key = (uri: string, start: number) => `${uri}\u0000${start}`;

/** Entries sorted by start; the last one starting at or before `offset`, by binary search. */
function lastAtOrBefore(list: Entry[], offset: number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.span.start <= offset) [found, lo] = [mid, mid + 1];
    else hi = mid - 1;
  }
  return found;
}

export class ClusterLocator {
  /** Places and certSANs by `uri` + start offset (findings are reported exactly there). */
  private readonly byStart = new Map<string, WorkloadCluster[]>();
  /** Per file: VIP places, and the Cluster documents' anchors, sorted by start. */
  private readonly places = new Map<string, Entry[]>();
  private readonly anchors = new Map<string, Entry[]>();
  private readonly inFile = new Map<string, WorkloadCluster[]>();

  constructor(clusters: WorkloadCluster[]) {
    const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
      const list = m.get(k);
      if (list) list.push(v);
      else m.set(k, [v]);
    };
    for (const c of clusters) {
      for (const uri of c.uris) push(this.inFile, uri, c);
      for (const s of [...c.places, ...(c.certSans?.items ?? [])]) {
        const span = s.span;
        push(this.byStart, key(s.uri, span.start), c);
        if ('role' in s) push(this.places, s.uri, { span, cluster: c });
      }
      if (c.cluster) push(this.anchors, c.cluster.uri, { span: c.cluster.span, cluster: c });
    }
    for (const m of [this.places, this.anchors]) for (const list of m.values()) list.sort((a, b) => a.span.start - b.span.start);
  }

  /** Clusters with a place or certSAN starting exactly at `start`. */
  startingAt(uri: string, start: number): WorkloadCluster[] {
    return this.byStart.get(key(uri, start)) ?? [];
  }

  /** The cluster with a VIP place around `offset`. */
  placeAround(uri: string, offset: number): WorkloadCluster | undefined {
    const list = this.places.get(uri) ?? [];
    const i = lastAtOrBefore(list, offset);
    // Adjacent places may touch: the one starting at `offset` or the one ending there.
    for (const j of [i, i - 1]) if (j >= 0 && list[j]!.span.end >= offset) return list[j]!.cluster;
    return undefined;
  }

  /** The first cluster whose Cluster document's anchor lies in `span` of `uri`. */
  anchoredIn(uri: string, span: Span): WorkloadCluster | undefined {
    const list = this.anchors.get(uri) ?? [];
    const i = lastAtOrBefore(list, span.end);
    return i >= 0 && list[i]!.span.start >= span.start ? list[i]!.cluster : undefined;
  }

  clustersIn(uri: string): WorkloadCluster[] {
    return this.inFile.get(uri) ?? [];
  }
}
