// The engine's entry point: files in, clusters/inventory/findings/fixes out. Each file is parsed
// once per change; linking and rules run over the whole workspace (cheap next to parsing).
import { DEFAULT_TOPOLOGY_VARIABLES, type TopologyVariables, buildClusters, clusterId } from './model/clusters';
import { type K8sObject, objectOf } from './model/kinds';
import { workspaceInventory } from './model/inventory';
import type { Inventory, WorkloadCluster } from './model/types';
import type { ParsedDoc } from './yaml/documents';
import { ChunkedFile } from './yaml/chunks';
import { runRules } from './rules/index';
import { fixesFor } from './fixes';
import type { Finding, Fix } from './types';

export const MAX_FILE_BYTES = 4 * 1024 * 1024;

interface FileState {
  text: string;
  chunks: ChunkedFile;
  docs: ParsedDoc[];
  objects: K8sObject[];
  findings: Finding[];
}

export interface Analysis {
  clusters: WorkloadCluster[];
  /** The inventory the rules used: live when connected, merged with what the workspace declares. */
  inventory: Inventory;
  findings: Finding[];
  fixes: Fix[];
}

export interface WorkspaceOptions {
  topologyVariables?: TopologyVariables;
  /** `capiIpam.defaultPool`: offered first when a cluster names no pool. */
  defaultPool?: string;
}

function parseFile(uri: string, text: string, chunks = new ChunkedFile(uri)): FileState {
  if (text.length > MAX_FILE_BYTES) {
    return { text, chunks, docs: [], objects: [], findings: [{ code: 'yaml-syntax', severity: 'info', uri, span: { start: 0, end: 0 }, message: `File is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB: not checked by capi-ipam.` }] };
  }
  const docs = chunks.update(text);
  const templated = /\{\{/.test(text);
  const findings: Finding[] = [];
  for (const d of docs) {
    if (d.errors.length === 0) continue;
    const e = d.errors[0]!;
    const span = d.source.outerSpan(e.span.start, e.span.end);
    findings.push(
      templated
        ? { code: 'yaml-syntax', severity: 'info', uri, span, message: `Template markup makes this document invalid YAML (${e.message}); capi-ipam checks only documents that parse.` }
        : { code: 'yaml-syntax', severity: 'error', uri, span, message: `YAML syntax error: ${e.message}` },
    );
  }
  // A document with syntax errors is not checked: its values are unreliable.
  const objects = docs.filter((d) => d.errors.length === 0).flatMap((d) => objectOf(d) ?? []);
  return { text, chunks, docs, objects, findings };
}

const poolKey = (p: { kind: string; namespace?: string; name: string }) => `${p.kind}/${p.namespace ?? ''}/${p.name}`;

/** Live items win over workspace items with the same identity. */
export function mergeInventories(live: Inventory, files: Inventory): Inventory {
  const livePools = new Set(live.pools.map(poolKey));
  const liveServices = new Set(live.services.map((s) => `${s.namespace}/${s.name}`));
  const liveAddresses = new Set(live.addresses.map((a) => `${a.namespace}/${a.name}`));
  const liveClaims = new Set(live.claims.map((a) => `${a.namespace}/${a.name}`));
  return {
    source: 'live',
    pools: [...live.pools, ...files.pools.filter((p) => !livePools.has(poolKey(p)))],
    claims: [...live.claims, ...files.claims.filter((c) => !liveClaims.has(`${c.namespace}/${c.name}`))],
    addresses: [...live.addresses, ...files.addresses.filter((a) => !liveAddresses.has(`${a.namespace}/${a.name}`))],
    services: [...live.services, ...files.services.filter((s) => !liveServices.has(`${s.namespace}/${s.name}`))],
    kubeVipRanges: live.kubeVipRanges.length ? live.kubeVipRanges : files.kubeVipRanges,
    endpoints: live.endpoints,
    nodePools: [...(live.nodePools ?? []), ...(files.nodePools ?? [])],
    declaredPools: files.pools,
  };
}

export class Workspace {
  private readonly files = new Map<string, FileState>();
  private live: Inventory | undefined;
  private cached: Analysis | undefined;
  private topologyVariables: TopologyVariables;
  private defaultPool = '';

  constructor(opts: WorkspaceOptions = {}) {
    this.topologyVariables = opts.topologyVariables ?? DEFAULT_TOPOLOGY_VARIABLES;
  }

  setOptions(opts: WorkspaceOptions): void {
    if (opts.topologyVariables) this.topologyVariables = opts.topologyVariables;
    if (opts.defaultPool !== undefined) this.defaultPool = opts.defaultPool;
    this.cached = undefined;
  }

  setFile(uri: string, text: string): void {
    const previous = this.files.get(uri);
    if (previous?.text === text) return;
    this.files.set(uri, parseFile(uri, text, previous?.chunks));
    this.cached = undefined;
  }

  removeFile(uri: string): void {
    if (this.files.delete(uri)) this.cached = undefined;
  }

  text(uri: string): string | undefined {
    return this.files.get(uri)?.text;
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  /** The live management-cluster inventory, or undefined when offline. */
  setLiveInventory(inv: Inventory | undefined): void {
    this.live = inv;
    this.cached = undefined;
  }

  analyze(): Analysis {
    if (this.cached) return this.cached;
    const objects = [...this.files.values()].flatMap((f) => f.objects);
    const clusters = buildClusters(objects, this.topologyVariables);
    const files = workspaceInventory(objects);
    const inventory = this.live ? mergeInventories(this.live, files) : files;
    const findings = [...[...this.files.values()].flatMap((f) => f.findings), ...runRules({ clusters, inventory, live: this.live !== undefined })];
    const live = this.live !== undefined;
    const defaultPool = this.defaultPool;
    let fixes: Fix[] | undefined;
    // Fixes are computed when asked for (code actions), not on every keystroke.
    this.cached = { clusters, inventory, findings, get fixes() { return (fixes ??= fixesFor(clusters, inventory, findings, live, defaultPool)); } };
    return this.cached;
  }

  findingsFor(uri: string): Finding[] {
    return this.analyze().findings.filter((f) => f.uri === uri);
  }

  /** The cluster one of whose parts is written at `offset` of `uri` (or the only cluster of the file). */
  clusterAt(uri: string, offset: number): WorkloadCluster | undefined {
    const { clusters } = this.analyze();
    const inFile = clusters.filter((c) => c.uris.includes(uri));
    const hit = inFile.find((c) =>
      c.places.some((p) => p.uri === uri && p.span.start <= offset && offset <= p.span.end) ||
      (c.cluster?.uri === uri && this.docRangeContains(uri, c.cluster.span.start, offset)),
    );
    return hit ?? (inFile.length === 1 ? inFile[0] : undefined);
  }

  /** The parsed document of `uri` containing `offset`, with its span in the file. */
  private documentAt(uri: string, offset: number): { doc: ParsedDoc; span: { start: number; end: number } } | undefined {
    for (const doc of this.files.get(uri)?.docs ?? []) {
      const span = doc.source.outerSpan(doc.doc.range[0], doc.doc.range[2]);
      if (span.start <= offset && offset <= span.end) return { doc, span };
    }
    return undefined;
  }

  private docRangeContains(uri: string, inside: number, offset: number): boolean {
    const hit = this.documentAt(uri, inside);
    return !!hit && hit.span.start <= offset && offset <= hit.span.end;
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
