// Typed access to the language server's custom capi-ipam messages (server/src/protocol.ts).
import type { CancellationToken } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  AllocateRequest,
  ClusterAtRequest,
  type ClusterRef,
  ContextsRequest,
  EstateRequest,
  type EstateResult,
  KubeVipRangesRequest,
  LoadBalancersRequest,
  PoolsRequest,
  PolicyRequest,
  type PolicyResult,
  PoolMapRequest,
  type PoolMapData,
  PoolBlockRequest,
  type PoolBlockResult,
  RankedPoolsRequest,
  PoolYamlRequest,
  ReleaseRequest,
  ReleaseTargetRequest,
  RetryRequest,
  TrustChangedNotification,
  type AllocateParams,
  type AllocateResult,
  type ContextsResult,
  type KubeVipRangeView,
  type PoolView,
  type ReleaseParams,
  type ReleaseResult,
  type ReleaseTarget,
  type ReleaseTargetParams,
  type ServiceView,
} from '../../server/src/protocol';

export class IpamServer {
  constructor(private readonly client: LanguageClient) {}

  policy(format: 'vap' | 'kyverno'): Promise<PolicyResult> {
    return this.client.sendRequest<PolicyResult>(PolicyRequest, { format });
  }

  /** Every management cluster, its workload clusters and the findings about live objects alone. */
  estate(): Promise<EstateResult> {
    return this.client.sendRequest<EstateResult>(EstateRequest);
  }

  pools(): Promise<PoolView[]> {
    return this.client.sendRequest<PoolView[]>(PoolsRequest);
  }

  /** What an expanded allocation block of a big pool holds. */
  poolBlock(id: string, block: string): Promise<PoolBlockResult> {
    return this.client.sendRequest<PoolBlockResult>(PoolBlockRequest, { id, block });
  }

  poolMap(id: string, zoom?: string): Promise<PoolMapData> {
    return this.client.sendRequest<PoolMapData>(PoolMapRequest, { id, zoom });
  }

  /** Live pools for the cluster's VIP, best first: the server's one ranking. */
  rankedPools(cluster: { name: string; namespace: string }): Promise<PoolView[]> {
    return this.client.sendRequest<PoolView[]>(RankedPoolsRequest, { cluster });
  }

  loadBalancers(): Promise<ServiceView[]> {
    return this.client.sendRequest<ServiceView[]>(LoadBalancersRequest);
  }

  kubeVipRanges(): Promise<KubeVipRangeView[]> {
    return this.client.sendRequest<KubeVipRangeView[]>(KubeVipRangesRequest);
  }

  /** The cluster the cursor is in, by the server's rules (those of its quick fixes). */
  async clusterAt(uri: string, position: { line: number; character: number }): Promise<ClusterRef | undefined> {
    return (
      (await this.client.sendRequest<ClusterRef | null>(ClusterAtRequest, { uri, position: { line: position.line, character: position.character } })) ??
      undefined
    );
  }

  contexts(): Promise<ContextsResult> {
    return this.client.sendRequest<ContextsResult>(ContextsRequest);
  }

  poolYaml(id: string): Promise<string> {
    return this.client.sendRequest<string>(PoolYamlRequest, { id });
  }

  allocate(params: AllocateParams, token?: CancellationToken): Promise<AllocateResult> {
    return this.client.sendRequest<AllocateResult>(AllocateRequest, params, token);
  }

  releaseTarget(params: ReleaseTargetParams): Promise<ReleaseTarget> {
    return this.client.sendRequest<ReleaseTarget>(ReleaseTargetRequest, params);
  }

  release(params: ReleaseParams): Promise<ReleaseResult> {
    return this.client.sendRequest<ReleaseResult>(ReleaseRequest, params);
  }

  /** Reconnect now rather than at the end of the backoff. */
  retry(): Promise<void> {
    return this.client.sendRequest<void>(RetryRequest);
  }

  trustChanged(trusted: boolean): Promise<void> {
    return this.client.sendNotification(TrustChangedNotification, { trusted });
  }
}
