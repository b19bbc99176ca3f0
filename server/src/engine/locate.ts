// Where each cluster is written, indexed once per analysis: a code action or a cursor lookup in a
// file of 10,000 clusters costs a lookup and a binary search, not a scan of every cluster's places.
import type { WorkloadCluster } from './model/types';
import type { Span } from './types';

interface Entry {
  span: Span;
  cluster: WorkloadCluster;
  /** A VIP place (else a certSAN). */
  place: boolean;
}

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

function byFile(entries: Iterable<[string, Entry]>): Map<string, Entry[]> {
  const out = new Map<string, Entry[]>();
  for (const [uri, e] of entries) {
    const list = out.get(uri);
    if (list) list.push(e);
    else out.set(uri, [e]);
  }
  for (const list of out.values()) list.sort((a, b) => a.span.start - b.span.start);
  return out;
}

export class ClusterLocator {
  /** Per file: VIP places and certSANs, sorted by start. */
  private readonly sites: Map<string, Entry[]>;
  /** Per file: the Cluster documents' anchors, sorted by start (built only when a cursor needs them). */
  private anchors: Map<string, Entry[]> | undefined;

  constructor(private readonly clusters: WorkloadCluster[]) {
    this.sites = byFile(
      clusters.flatMap((c) => [
        ...c.places.map((p): [string, Entry] => [p.uri, { span: p.span, cluster: c, place: true }]),
        ...(c.certSans?.items ?? []).map((s): [string, Entry] => [s.uri, { span: s.span, cluster: c, place: false }]),
      ]),
    );
  }

  /** Clusters with a place or certSAN starting exactly at `start` (findings are reported exactly there). */
  startingAt(uri: string, start: number): WorkloadCluster[] {
    const list = this.sites.get(uri) ?? [];
    const out: WorkloadCluster[] = [];
    for (let i = lastAtOrBefore(list, start); i >= 0 && list[i]!.span.start === start; i--) out.push(list[i]!.cluster);
    return out;
  }

  /** The cluster with a VIP place around `offset`. */
  placeAround(uri: string, offset: number): WorkloadCluster | undefined {
    const list = this.sites.get(uri) ?? [];
    // Sites may touch or nest (a certSAN next to a place): look back a little, never far.
    for (let j = lastAtOrBefore(list, offset), k = 0; j >= 0 && k < 4; j--, k++) {
      if (list[j]!.place && list[j]!.span.end >= offset) return list[j]!.cluster;
    }
    return undefined;
  }

  /** The first cluster whose Cluster document's anchor lies in `span` of `uri`. */
  anchoredIn(uri: string, span: Span): WorkloadCluster | undefined {
    this.anchors ??= byFile(
      this.clusters.flatMap((c): [string, Entry][] => (c.cluster ? [[c.cluster.uri, { span: c.cluster.span, cluster: c, place: false }]] : [])),
    );
    const list = this.anchors.get(uri) ?? [];
    const i = lastAtOrBefore(list, span.end);
    return i >= 0 && list[i]!.span.start >= span.start ? list[i]!.cluster : undefined;
  }

  clustersIn(uri: string): WorkloadCluster[] {
    return this.clusters.filter((c) => c.uris.includes(uri));
  }
}
