// The engine's entry point: files in, clusters/inventory/findings/fixes out. Each file is parsed
// once per change, when the analysis is next asked for; linking and rules run over the whole workspace (cheap next to parsing).
import { DEFAULT_TOPOLOGY_VARIABLES, type TopologyVariables, buildClusters, clusterId } from './model/clusters';
import { type K8sObject, objectsOf } from './model/kinds';
import { workspaceInventory } from './model/inventory';
import type { Inventory, LbServiceInfo, WorkloadCluster } from './model/types';
import type { ParsedDoc } from './yaml/documents';
import { ChunkedFile } from './yaml/chunks';
import { type FileFacts, type RenderFailure, runRules } from './rules/index';
import { fixesFor } from './fixes';
import type { Finding, Fix } from './types';
import { ClusterLocator } from './locate';
import type { Resolution } from './hostnames';
import { hostnamePlaces } from './model/vipPlaces';

export const MAX_FILE_BYTES = 4 * 1024 * 1024;

interface FileState {
  text: string;
  chunks: ChunkedFile;
  docs: ParsedDoc[];
  objects: K8sObject[];
  facts: FileFacts;
}

export interface Analysis {
  clusters: WorkloadCluster[];
  /** The inventory the rules used: live when connected, merged with what the workspace declares. */
  inventory: Inventory;
  findings: Finding[];
}

export interface WorkspaceOptions {
  topologyVariables?: TopologyVariables;
  /** Cached host-name resolutions (HostResolver), or null when names are not resolved. */
  resolver?: { get(host: string): Resolution | undefined } | null;
  /** `capiIpam.defaultPool`: offered first when a cluster names no pool. */
  defaultPool?: string;
}

function parseFile(uri: string, text: string, chunks = new ChunkedFile(uri)): FileState {
  if (text.length > MAX_FILE_BYTES) return { text, chunks, docs: [], objects: [], facts: { uri, syntaxErrors: [], tooLarge: MAX_FILE_BYTES } };
  const docs = chunks.update(text);
  // The first error of each document, at its place in the file (the yaml-syntax rule reports them).
  const syntaxErrors = docs.flatMap((d) =>
    d.errors[0] ? [{ span: d.source.outerSpan(d.errors[0].span.start, d.errors[0].span.end), message: d.errors[0].message }] : [],
  );
  // A document with syntax errors is not checked: its values are unreliable.
  const objects = docs.filter((d) => d.errors.length === 0).flatMap(objectsOf);
  return { text, chunks, docs, objects, facts: { uri, syntaxErrors } };
}

const poolKey = (p: { kind: string; namespace?: string; name: string }) => `${p.kind}/${p.namespace ?? ''}/${p.name}`;

/** A live Service also written in the workspace: what the file requests (with its places) is checked; the cluster's IPs still count. */
function withFile(live: LbServiceInfo, file: LbServiceInfo | undefined): LbServiceInfo {
  if (!file) return live;
  const ips = [...file.ips, ...live.ips.filter((x) => !file.ips.some((y) => y.value === x.value))];
  return { ...live, ips, requested: file.requested, ports: file.ports, origin: file.origin };
}

/** Live items win over workspace items with the same identity (a Service keeps its file's places, see withFile). */
export function mergeInventories(live: Inventory, files: Inventory): Inventory {
  const livePools = new Set(live.pools.map(poolKey));
  const liveServices = new Set(live.services.map((s) => `${s.namespace}/${s.name}`));
  const fileServices = new Map(files.services.map((s) => [`${s.namespace}/${s.name}`, s]));
  const liveAddresses = new Set(live.addresses.map((a) => `${a.namespace}/${a.name}`));
  const liveClaims = new Set(live.claims.map((a) => `${a.namespace}/${a.name}`));
  return {
    source: 'live',
    pools: [...live.pools, ...files.pools.filter((p) => !livePools.has(poolKey(p)))],
    claims: [...live.claims, ...files.claims.filter((c) => !liveClaims.has(`${c.namespace}/${c.name}`))],
    addresses: [...live.addresses, ...files.addresses.filter((a) => !liveAddresses.has(`${a.namespace}/${a.name}`))],
    services: [
      ...live.services.map((s) => withFile(s, fileServices.get(`${s.namespace}/${s.name}`))),
      ...files.services.filter((s) => !liveServices.has(`${s.namespace}/${s.name}`)),
    ],
    kubeVipRanges: live.kubeVipRanges.length ? live.kubeVipRanges : files.kubeVipRanges,
    kubeVipConfigs: live.kubeVipConfigs?.length ? live.kubeVipConfigs : files.kubeVipConfigs,
    endpoints: live.endpoints,
    nodePools: [...(live.nodePools ?? []), ...(files.nodePools ?? [])],
    declaredPools: files.pools,
    declaredKubeVipConfigs: files.kubeVipConfigs,
  };
}

export class Workspace {
  private readonly files = new Map<string, FileState>();
  /** Texts set but not parsed yet: a burst of keystrokes costs one parse, at the next read. */
  private readonly pending = new Map<string, string>();
  private live: Inventory | undefined;
  private cached: Analysis | undefined;
  /** Files kept (for positions and edits) but not analysed: the inputs of a rendered chart or overlay. */
  private excluded = new Set<string>();
  private topologyVariables: TopologyVariables;
  private resolver: WorkspaceOptions['resolver'];
  private defaultPool = '';
  private renderFailures: RenderFailure[] = [];

  constructor(opts: WorkspaceOptions = {}) {
    this.topologyVariables = opts.topologyVariables ?? DEFAULT_TOPOLOGY_VARIABLES;
    this.resolver = opts.resolver;
  }

  setOptions(opts: WorkspaceOptions): void {
    if (opts.topologyVariables) this.topologyVariables = opts.topologyVariables;
    if (opts.resolver !== undefined) this.resolver = opts.resolver;
    if (opts.defaultPool !== undefined) this.defaultPool = opts.defaultPool;
    this.cached = undefined;
  }

  /** New host-name resolutions arrived: the next analysis reads them. */
  hostsResolved(): void {
    this.cached = undefined;
  }

  /** Endpoint host names of every cluster (what a resolver should look up). */
  hostnames(): string[] {
    return [...new Set(this.analyze().clusters.flatMap((c) => hostnamePlaces(c).map((p) => p.value)))];
  }

  setFile(uri: string, text: string): void {
    if (this.text(uri) === text) return;
    this.pending.set(uri, text);
    this.cached = undefined;
  }

  removeFile(uri: string): void {
    const had = this.pending.delete(uri);
    if (this.files.delete(uri) || had) this.cached = undefined;
  }

  text(uri: string): string | undefined {
    return this.pending.get(uri) ?? this.files.get(uri)?.text;
  }

  uris(): string[] {
    return [...new Set([...this.files.keys(), ...this.pending.keys()])];
  }

  private parsePending(): void {
    for (const [uri, text] of this.pending) this.files.set(uri, parseFile(uri, text, this.files.get(uri)?.chunks));
    this.pending.clear();
  }

  setExcluded(uris: Iterable<string>): void {
    this.excluded = new Set(uris);
    this.cached = undefined;
  }

  /** Charts and overlays that could not be rendered (the render-failed rule reports them). */
  setRenderFailures(failures: RenderFailure[]): void {
    this.renderFailures = failures;
    this.cached = undefined;
  }

  /** The live management-cluster inventory, or undefined when offline. */
  setLiveInventory(inv: Inventory | undefined): void {
    this.live = inv;
    this.cached = undefined;
  }

  analyze(): Analysis {
    if (this.cached) return this.cached;
    this.parsePending();
    const analysed = [...this.files].filter(([uri]) => !this.excluded.has(uri)).map(([, f]) => f);
    const objects = analysed.flatMap((f) => f.objects);
    const clusters = buildClusters(objects, this.topologyVariables);
    const files = workspaceInventory(objects);
    const inventory = this.live ? mergeInventories(this.live, files) : files;
    const findings = runRules({
      clusters,
      inventory,
      live: this.live !== undefined,
      resolveHost: this.resolver ? (h) => this.resolver!.get(h) : undefined,
      files: analysed.map((f) => f.facts),
      renderFailures: this.renderFailures,
    });
    this.cached = { clusters, inventory, findings };
    return this.cached;
  }

  /**
   * Quick fixes for the findings that overlap [start, end] of `uri`. Fixes are computed when code
   * actions ask, not on every keystroke, and only for the clusters those findings belong to.
   */
  fixesAt(uri: string, start: number, end: number): Fix[] {
    const a = this.analyze();
    const overlaps = (f: Finding) => f.uri === uri && f.span.start <= end && start <= f.span.end;
    const locator = this.locator();
    const here = a.findings.filter(overlaps);
    if (here.length === 0) return [];
    const targets = new Set(here.flatMap((f) => locator.startingAt(uri, f.span.start)));
    return fixesFor(a.clusters, a.inventory, a.findings, this.live !== undefined, [...targets], this.defaultPool).filter((fix) => fix.resolves.some(overlaps));
  }

  /** The cluster one of whose parts is written at `offset` of `uri` (or the only cluster of the file). */
  clusterAt(uri: string, offset: number): WorkloadCluster | undefined {
    const locator = this.locator();
    const doc = this.documentAt(uri, offset)?.span;
    const inFile = locator.clustersIn(uri);
    return locator.placeAround(uri, offset) ?? (doc && locator.anchoredIn(uri, doc)) ?? (inFile.length === 1 ? inFile[0] : undefined);
  }

  private located: { analysis: Analysis; locator: ClusterLocator } | undefined;

  private locator(): ClusterLocator {
    const analysis = this.analyze();
    if (this.located?.analysis !== analysis) this.located = { analysis, locator: new ClusterLocator(analysis.clusters) };
    return this.located.locator;
  }

  /** The parsed document of `uri` containing `offset`, with its span in the file. */
  private documentAt(uri: string, offset: number): { doc: ParsedDoc; span: { start: number; end: number } } | undefined {
    this.parsePending();
    for (const doc of this.files.get(uri)?.docs ?? []) {
      const span = doc.source.outerSpan(doc.doc.range[0], doc.doc.range[2]);
      if (span.start <= offset && offset <= span.end) return { doc, span };
    }
    return undefined;
  }

  /** The Kubernetes objects of `uri` (documents with syntax errors left out). */
  objectsIn(uri: string): K8sObject[] {
    this.parsePending();
    return this.files.get(uri)?.objects ?? [];
  }

  /** The text of the YAML document of `uri` that contains `offset` (e.g. one pool of a multi-document file). */
  documentText(uri: string, offset: number): string | undefined {
    const hit = this.documentAt(uri, offset);
    return hit && this.files.get(uri)!.text.slice(hit.span.start, hit.span.end);
  }

  cluster(id: string): WorkloadCluster | undefined {
    return this.analyze().clusters.find((c) => clusterId(c) === id);
  }
}
