// The mutable facade the engine's own tests and benchmarks drive: one AnalysisHost, read through its newest
// snapshot. Code outside the engine uses the host and its snapshots (engine/host.ts) instead.
import { AnalysisHost, type Analysis, type HostOptions } from './host';
import { clusterId } from './model/clusters';
import type { K8sObject } from './model/kinds';
import type { WorkloadCluster } from './model/types';
import type { Fix } from './types';

export { MAX_FILE_BYTES, mergeInventories, type Analysis } from './host';
export type WorkspaceOptions = HostOptions;

export class Workspace {
  readonly host: AnalysisHost;

  constructor(opts: WorkspaceOptions = {}) {
    this.host = new AnalysisHost(opts);
  }

  setOptions(opts: WorkspaceOptions): void {
    this.host.setOptions(opts);
  }

  hostsResolved(): void {
    this.host.hostsResolved();
  }

  hostnames(): string[] {
    return this.host.snapshot().hostnames();
  }

  setFile(uri: string, text: string): void {
    this.host.setFile(uri, text);
  }

  removeFile(uri: string): void {
    this.host.removeFile(uri);
  }

  text(uri: string): string | undefined {
    return this.host.text(uri);
  }

  uris(): string[] {
    return this.host.uris();
  }

  setExcluded(uris: Iterable<string>): void {
    this.host.setExcluded(uris);
  }

  setRenderFailures(failures: Parameters<AnalysisHost['setRenderFailures']>[0]): void {
    this.host.setRenderFailures(failures);
  }

  setLiveInventory(inv: Parameters<AnalysisHost['setLiveInventory']>[0]): void {
    this.host.setLiveInventory(inv);
  }

  analyze(): Analysis {
    return this.host.snapshot().analysis;
  }

  fixesAt(uri: string, start: number, end: number): Fix[] {
    return this.host.snapshot().codeActions(uri, start, end);
  }

  clusterAt(uri: string, offset: number): WorkloadCluster | undefined {
    return this.host.snapshot().clusterNear(uri, offset);
  }

  objectsIn(uri: string): K8sObject[] {
    return [...this.host.snapshot().objectsIn(uri)];
  }

  documentText(uri: string, offset: number): string | undefined {
    return this.host.snapshot().documentText(uri, offset);
  }

  cluster(id: string): WorkloadCluster | undefined {
    return this.analyze().clusters.find((c) => clusterId(c) === id);
  }
}
