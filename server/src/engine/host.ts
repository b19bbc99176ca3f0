// The one door into the engine (rust-analyzer's AnalysisHost/Analysis): the host takes changes — file
// texts, the live inventory, options, host-name resolutions — and hands out immutable `Snapshot`s that
// answer every feature. A snapshot is made on the first read after a change (a burst of keystrokes costs
// one parse) and answers in stages: hover, completion, lenses and views need the model (clusters and
// inventory) only; diagnostics and code actions also run the rules, whose per-cluster findings are kept
// while the cluster object and the inventory are the same (rules/index.ts).
import { DEFAULT_TOPOLOGY_VARIABLES, type TopologyVariables, buildClusters, clusterId } from './model/clusters';
import { type K8sObject, objectsOf as objectsOfDoc } from './model/kinds';
import { isInventoryObject, workspaceInventory } from './model/inventory';
import type { Inventory, PoolInfo, WorkloadCluster } from './model/types';
import type { ParsedDoc } from './yaml/documents';
import { ChunkedFile } from './yaml/chunks';
import { type FileFacts, type RenderFailure, runRules } from './rules/index';
import { fixesFor } from './fixes';
import type { Finding, Fix } from './types';
import { ClusterLocator } from './locate';
import type { Resolution } from './hostnames';
import { hostnamePlaces, ipPlaces } from './model/vipPlaces';
import { type PoolUsage, poolUsage } from './features/usage';
import { type AddressCompletion, completionsAt } from './features/completion';
import { type HoverHit, hoverAt } from './features/hover';
import { type Lens, type LensOptions, clusterLenses } from './features/codeLens';
import { kubeVipRangeViews, lbPoolRangeViews, poolBlockView, poolId, poolMapView, poolView, rankedPoolViews, serviceViews } from './features/views';
import type { KubeVipRangeView, PoolBlockView, PoolView, ServiceView } from './features/viewTypes';
import { type AllocationChoice, allocationChoices, choosePool, exhaustion, nextFreeAddress } from './features/allocation';
import type { PoolMapData } from './features/poolMap';
import type { ClaimPool } from './claimDocument';
import { type ClusterRef, declaredClusterAt } from './features/cursor';

export type { ClusterRef };

export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** One file as parsed: never changed after it is made (a new text makes a new FileState). */
interface FileState {
  readonly text: string;
  readonly chunks: ChunkedFile;
  readonly docs: readonly ParsedDoc[];
  readonly objects: readonly K8sObject[];
  readonly facts: FileFacts;
}

export interface Analysis {
  readonly clusters: WorkloadCluster[];
  /** The inventory the rules used: live when connected, merged with what the workspace declares. */
  readonly inventory: Inventory;
  /** Computed on first access: the model stage (clusters, inventory) does not wait for the rules. */
  readonly findings: Finding[];
}

export interface HostOptions {
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
  const objects = docs.filter((d) => d.errors.length === 0).flatMap(objectsOfDoc);
  return { text, chunks, docs, objects, facts: { uri, syntaxErrors } };
}

const poolKey = (p: { kind: string; namespace?: string; name: string }) => `${p.kind}/${p.namespace ?? ''}/${p.name}`;

/** A live Service also written in the workspace: what the file requests (with its places) is checked; the cluster's IPs still count. */
function withFile(live: Inventory['services'][number], file: Inventory['services'][number] | undefined): Inventory['services'][number] {
  if (!file) return live;
  const ips = [...file.ips, ...live.ips.filter((x) => !file.ips.some((y) => y.value === x.value))];
  return { ...live, ips, requested: file.requested, ports: file.ports, origin: file.origin };
}

/** `live` plus the items of `files` whose identity `live` lacks; no index of `live` is built when `files` has none (100,000 live addresses). */
function unionBy<T>(live: T[], files: T[], id: (x: T) => string): T[] {
  if (files.length === 0) return live;
  const have = new Set(live.map(id));
  return [...live, ...files.filter((x) => !have.has(id(x)))];
}

const nameId = (x: { namespace?: string; name: string }) => `${x.namespace ?? ''}/${x.name}`;

/** Live items win over workspace items with the same identity (a Service keeps its file's places, see withFile). */
export function mergeInventories(live: Inventory, files: Inventory): Inventory {
  const fileServices = new Map(files.services.map((s) => [nameId(s), s]));
  return {
    source: 'live',
    pools: unionBy(live.pools, files.pools, poolKey),
    claims: unionBy(live.claims, files.claims, nameId),
    addresses: unionBy(live.addresses, files.addresses, nameId),
    services: unionBy(fileServices.size ? live.services.map((s) => withFile(s, fileServices.get(nameId(s)))) : live.services, files.services, nameId),
    kubeVipRanges: live.kubeVipRanges.length ? live.kubeVipRanges : files.kubeVipRanges,
    kubeVipConfigs: live.kubeVipConfigs?.length ? live.kubeVipConfigs : files.kubeVipConfigs,
    endpoints: live.endpoints,
    nodeAddresses: [...live.nodeAddresses, ...files.nodeAddresses],
    estate: live.estate,
    clusterClasses: live.clusterClasses,
    nodePools: [...(live.nodePools ?? []), ...(files.nodePools ?? [])],
    declaredPools: files.pools,
    declaredKubeVipConfigs: files.kubeVipConfigs,
    // Other address sources (issue 23).
    lbPools: unionBy(live.lbPools, files.lbPools, (p) => `${p.kind}/${p.namespace ?? ''}/${p.name}`),
    l2Advertisements: unionBy(live.l2Advertisements, files.l2Advertisements, nameId),
    rollouts: unionBy(live.rollouts, files.rollouts, (r) => `${r.kind}/${r.namespace}/${r.name}`),
  };
}

const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** What a snapshot is made of; never changed after the snapshot is made. */
interface State {
  readonly files: ReadonlyMap<string, FileState>;
  readonly excluded: ReadonlySet<string>;
  readonly live: Inventory | undefined;
  readonly topologyVariables: TopologyVariables;
  readonly resolver: HostOptions['resolver'];
  readonly defaultPool: string;
  /** Bumped when host names resolve: the rules that read resolutions run again. */
  readonly resolutions: number;
  readonly renderFailures: readonly RenderFailure[];
}

/**
 * What the previous snapshot built, reused when its inputs are identical: the inventory is the same object
 * after an edit that touched no inventory document, so per-cluster rule results stay valid.
 */
interface Carry {
  inventoryObjects: readonly K8sObject[];
  /** Where each of them starts: decoded positions are plain spans, so an object that moved is decoded again. */
  starts: readonly number[];
  files: Inventory;
  live: Inventory | undefined;
  merged: Inventory;
}

export class AnalysisHost {
  private files = new Map<string, FileState>();
  /** Texts set but not parsed yet: a burst of keystrokes costs one parse, when the next snapshot is made. */
  private readonly pending = new Map<string, string>();
  private excluded: ReadonlySet<string> = new Set();
  private live: Inventory | undefined;
  private topologyVariables: TopologyVariables;
  private resolver: HostOptions['resolver'];
  private defaultPool = '';
  private resolutions = 0;
  private renderFailures: readonly RenderFailure[] = [];
  private latest: Snapshot | undefined;
  private carry: Carry | undefined;

  constructor(opts: HostOptions = {}) {
    this.topologyVariables = opts.topologyVariables ?? DEFAULT_TOPOLOGY_VARIABLES;
    this.resolver = opts.resolver;
    this.defaultPool = opts.defaultPool ?? '';
  }

  setOptions(opts: HostOptions): void {
    if (opts.topologyVariables) this.topologyVariables = opts.topologyVariables;
    if (opts.resolver !== undefined) this.resolver = opts.resolver;
    if (opts.defaultPool !== undefined) this.defaultPool = opts.defaultPool;
    this.latest = undefined;
  }

  /** New host-name resolutions arrived: the next snapshot reads them. */
  hostsResolved(): void {
    this.resolutions++;
    this.latest = undefined;
  }

  setFile(uri: string, text: string): void {
    if (this.text(uri) === text) return;
    this.pending.set(uri, text);
    this.latest = undefined;
  }

  removeFile(uri: string): void {
    const had = this.pending.delete(uri);
    if (this.files.has(uri) || had) {
      this.files = new Map(this.files);
      this.files.delete(uri);
      this.latest = undefined;
    }
  }

  /** Files kept (for positions and edits) but not analysed: the inputs of a rendered chart or overlay. */
  setExcluded(uris: Iterable<string>): void {
    this.excluded = new Set(uris);
    this.latest = undefined;
  }

  /** Charts and overlays that could not be rendered (the render-failed rule reports them). */
  setRenderFailures(failures: readonly RenderFailure[]): void {
    this.renderFailures = failures;
    this.latest = undefined;
  }

  /** The live management-cluster inventory, or undefined when offline. */
  setLiveInventory(inv: Inventory | undefined): void {
    this.live = inv;
    this.latest = undefined;
  }

  /** The newest text of `uri` (set, possibly not parsed yet). */
  text(uri: string): string | undefined {
    return this.pending.get(uri) ?? this.files.get(uri)?.text;
  }

  uris(): string[] {
    return [...new Set([...this.files.keys(), ...this.pending.keys()])];
  }

  /** The analysis of everything set so far; the same snapshot until the next change. */
  snapshot(): Snapshot {
    if (this.latest) return this.latest;
    if (this.pending.size) {
      this.files = new Map(this.files);
      for (const [uri, text] of this.pending) this.files.set(uri, parseFile(uri, text, this.files.get(uri)?.chunks));
      this.pending.clear();
    }
    const state: State = {
      files: this.files,
      excluded: this.excluded,
      live: this.live,
      topologyVariables: this.topologyVariables,
      resolver: this.resolver,
      defaultPool: this.defaultPool,
      resolutions: this.resolutions,
      renderFailures: this.renderFailures,
    };
    this.latest = new Snapshot(state, (objects, live) => this.inventory(objects, live));
    return this.latest;
  }

  /** The merged inventory, the previous one when the inventory documents and the live inventory are the same objects. */
  private inventory(objects: readonly K8sObject[], live: Inventory | undefined): Inventory {
    const inventoryObjects = objects.filter(isInventoryObject);
    const starts = inventoryObjects.map((o) => o.anchor.span.start);
    const c = this.carry;
    const same = c && sameList(c.inventoryObjects, inventoryObjects) && sameList(c.starts, starts);
    const files = same ? c.files : workspaceInventory(inventoryObjects);
    const merged = c && c.files === files && c.live === live ? c.merged : live ? mergeInventories(live, files) : files;
    this.carry = { inventoryObjects, starts, files, live, merged };
    return merged;
  }
}

/** An immutable view of the workspace at one moment, answering every feature. Answers are plain engine data. */
export class Snapshot {
  private model: { clusters: WorkloadCluster[]; inventory: Inventory } | undefined;
  private ruleFindings: Finding[] | undefined;
  private located: ClusterLocator | undefined;
  private answered: Analysis | undefined;

  /** @internal made by AnalysisHost.snapshot() */
  constructor(
    private readonly state: State,
    private readonly inventoryOf: (objects: readonly K8sObject[], live: Inventory | undefined) => Inventory,
  ) {}

  /** The analysis: the model at once, the findings when first asked for. */
  get analysis(): Analysis {
    if (this.answered) return this.answered;
    const { clusters, inventory } = this.modelStage();
    const findings = () => this.findingsStage();
    this.answered = {
      clusters,
      inventory,
      get findings() {
        return findings();
      },
    };
    return this.answered;
  }

  private analysed(): FileState[] {
    return [...this.state.files].filter(([uri]) => !this.state.excluded.has(uri)).map(([, f]) => f);
  }

  private modelStage(): { clusters: WorkloadCluster[]; inventory: Inventory } {
    if (this.model) return this.model;
    const objects = this.analysed().flatMap((f) => f.objects);
    const clusters = buildClusters(objects, this.state.topologyVariables, this.state.live?.clusterClasses);
    this.model = { clusters, inventory: this.inventoryOf(objects, this.state.live) };
    return this.model;
  }

  private findingsStage(): Finding[] {
    if (this.ruleFindings) return this.ruleFindings;
    const { clusters, inventory } = this.modelStage();
    const { resolver, live, renderFailures, resolutions } = this.state;
    const ctx = {
      clusters,
      inventory,
      live: live !== undefined,
      resolveHost: resolver ? (h: string) => resolver.get(h) : undefined,
      files: this.analysed().map((f) => f.facts),
      renderFailures: [...renderFailures],
    };
    // Per-cluster findings are kept while these are the same (rules/index.ts): a new resolution re-runs them.
    this.ruleFindings = runRules(ctx, [inventory, ctx.live, resolver, resolutions]);
    return this.ruleFindings;
  }

  text(uri: string): string | undefined {
    return this.state.files.get(uri)?.text;
  }

  uris(): string[] {
    return [...this.state.files.keys()];
  }

  diagnostics(): Finding[] {
    return this.findingsStage();
  }

  /** Endpoint host names of every cluster (what a resolver should look up). */
  hostnames(): string[] {
    return [...new Set(this.modelStage().clusters.flatMap((c) => hostnamePlaces(c).map((p) => p.value)))];
  }

  /** `live`: how live pools are described ("live", or "cached, N min ago" when the cluster cannot be read). */
  hover(uri: string, offset: number, live = 'live'): HoverHit | undefined {
    return hoverAt(this.analysis, uri, offset, live);
  }

  completion(uri: string, offset: number, defaultPool = this.state.defaultPool): AddressCompletion[] {
    return completionsAt(this.analysis, uri, offset, defaultPool);
  }

  /**
   * Quick fixes for the findings that overlap [start, end] of `uri`. Fixes are computed when code
   * actions ask, not on every keystroke, and only for the clusters those findings belong to.
   */
  codeActions(uri: string, start: number, end: number): Fix[] {
    const a = this.analysis;
    const overlaps = (f: Finding) => f.uri === uri && f.span.start <= end && start <= f.span.end;
    const here = a.findings.filter(overlaps);
    if (here.length === 0) return [];
    const locator = this.locator();
    const targets = new Set(here.flatMap((f) => locator.startingAt(uri, f.span.start)));
    return fixesFor(a.clusters, a.inventory, a.findings, this.state.live !== undefined, [...targets], this.state.defaultPool).filter((fix) =>
      fix.resolves.some(overlaps),
    );
  }

  codeLenses(uri: string, opts: LensOptions): Lens[] {
    return clusterLenses(this.analysis, uri, opts);
  }

  private locator(): ClusterLocator {
    return (this.located ??= new ClusterLocator(this.modelStage().clusters));
  }

  /** The cluster one of whose parts is written at `offset` of `uri` (or the only cluster of the file). */
  clusterNear(uri: string, offset: number): WorkloadCluster | undefined {
    const locator = this.locator();
    const doc = this.documentAt(uri, offset)?.span;
    const inFile = locator.clustersIn(uri);
    return locator.placeAround(uri, offset) ?? (doc && locator.anchoredIn(uri, doc)) ?? (inFile.length === 1 ? inFile[0] : undefined);
  }

  /** The cluster the cursor at `offset` of `uri` is in: what Allocate and Release act on without arguments. */
  clusterAt(uri: string, offset: number): ClusterRef | undefined {
    const declared = declaredClusterAt([...this.objectsIn(uri)], offset);
    if (declared) return declared;
    const c = this.clusterNear(uri, offset);
    return c && { name: c.name, namespace: c.namespace };
  }

  cluster(ref: ClusterRef): WorkloadCluster | undefined {
    const id = clusterId(ref);
    return this.modelStage().clusters.find((c) => clusterId(c) === id);
  }

  /** Every cluster named `name` (in `namespace`, when given). */
  clustersNamed(name: string, namespace?: string): WorkloadCluster[] {
    return this.modelStage().clusters.filter((c) => c.name === name && (!namespace || c.namespace === namespace));
  }

  /** The addresses the cluster's VIP places hold (what a claim holding its VIP must hold). */
  vips(ref: ClusterRef): string[] {
    const c = this.cluster(ref);
    return c ? ipPlaces(c).map((p) => p.ip) : [];
  }

  /** The inventory the rules read (live merged with the workspace's). */
  inventory(): Inventory {
    return this.modelStage().inventory;
  }

  pools(): PoolView[] {
    const a = this.analysis;
    return a.inventory.pools.map((p) => poolView(p, a));
  }

  pool(id: string): PoolInfo | undefined {
    return this.inventory().pools.find((p) => poolId(p) === id);
  }

  /** What an expanded allocation block of pool `id` holds; undefined when the pool or block is gone. */
  poolBlock(id: string, block: string): PoolBlockView | undefined {
    return poolBlockView(this.analysis, id, block);
  }

  poolMap(id: string, zoom?: string): PoolMapData | undefined {
    return poolMapView(this.analysis, id, zoom);
  }

  /** The live pools `cluster` may allocate from, best first (the engine's one ranking). */
  rankedPools(cluster: ClusterRef, defaultPool = this.state.defaultPool): PoolView[] {
    return rankedPoolViews(this.analysis, cluster, defaultPool);
  }

  services(): ServiceView[] {
    return serviceViews(this.analysis);
  }

  kubeVipRanges(): KubeVipRangeView[] {
    return [...kubeVipRangeViews(this.analysis), ...lbPoolRangeViews(this.analysis)];
  }

  usage(pool: PoolInfo): PoolUsage {
    const { inventory, clusters } = this.modelStage();
    return poolUsage(pool, inventory, clusters);
  }

  /** The allocation plan: the choices at a place, the pools in order, the offline address, why a pool gave none. */
  allocationChoices(
    cluster: WorkloadCluster,
    at: { uri: string; start: number; end: number },
    defaultPool = this.state.defaultPool,
  ): { resolves: Finding[]; choices: AllocationChoice[] } {
    return allocationChoices(this.analysis, cluster, at, defaultPool);
  }

  candidatePools(cluster: WorkloadCluster, wanted: string | undefined, from: 'live' | 'workspace'): PoolInfo[] {
    return choosePool(this.analysis, cluster, wanted, from);
  }

  nextFreeAddress(cluster: WorkloadCluster, wanted: string | undefined): { pool: PoolInfo; address: string } | undefined {
    return nextFreeAddress(this.analysis, cluster, wanted);
  }

  exhaustion(pool: ClaimPool): string | undefined {
    return exhaustion(this.analysis, pool);
  }

  /** The Kubernetes objects of `uri` (documents with syntax errors left out). */
  objectsIn(uri: string): readonly K8sObject[] {
    return this.state.files.get(uri)?.objects ?? [];
  }

  /** The parsed document of `uri` containing `offset`, with its span in the file. */
  private documentAt(uri: string, offset: number): { doc: ParsedDoc; span: { start: number; end: number } } | undefined {
    for (const doc of this.state.files.get(uri)?.docs ?? []) {
      const span = doc.source.outerSpan(doc.doc.range[0], doc.doc.range[2]);
      if (span.start <= offset && offset <= span.end) return { doc, span };
    }
    return undefined;
  }

  /** The text of the YAML document of `uri` that contains `offset` (e.g. one pool of a multi-document file). */
  documentText(uri: string, offset: number): string | undefined {
    const hit = this.documentAt(uri, offset);
    return hit && this.state.files.get(uri)!.text.slice(hit.span.start, hit.span.end);
  }
}
