// Applies the generated ValidatingAdmissionPolicy (ConfigMap, policy, binding) to a real kube-apiserver
// given by a kubeconfig, and asks that server, with server-side dry-run creates, whether it admits a
// Cluster. Used by test/live/policyApiServer.test.ts; point it at any kube-apiserver.
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

type Obj = k8s.KubernetesObject & Record<string, unknown>;

const CLUSTER_CRD: Obj = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'clusters.cluster.x-k8s.io' },
  spec: {
    group: 'cluster.x-k8s.io',
    scope: 'Namespaced',
    names: { kind: 'Cluster', listKind: 'ClusterList', plural: 'clusters', singular: 'cluster' },
    versions: [{ name: 'v1beta1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

export interface AdmissionAnswer {
  allowed: boolean;
  status: number;
  message: string;
}

export class PolicyOnApiServer {
  private readonly api: k8s.KubernetesObjectApi;
  private readonly extensions: k8s.ApiextensionsV1Api;

  constructor(kubeconfigPath: string) {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    this.api = k8s.KubernetesObjectApi.makeApiClient(kc);
    this.extensions = kc.makeApiClient(k8s.ApiextensionsV1Api);
  }

  /** Server-side apply of every document of the policy YAML; installs a minimal Cluster CRD when the server has none. */
  async apply(policyYaml: string): Promise<void> {
    const served = await this.extensions.readCustomResourceDefinition({ name: 'clusters.cluster.x-k8s.io' }).then(
      () => true,
      () => false,
    );
    if (!served) await this.api.patch(CLUSTER_CRD, undefined, undefined, 'capi-ipam-test', true, k8s.PatchStrategy.ServerSideApply);
    for (const doc of parseAllDocuments(policyYaml))
      await this.api.patch(doc.toJS() as Obj, undefined, undefined, 'capi-ipam-test', true, k8s.PatchStrategy.ServerSideApply);
  }

  /** Would the server create a Cluster with this endpoint host? (dry run: nothing is stored) */
  admitsCluster(host: string, namespace = 'default'): Promise<AdmissionAnswer> {
    return this.admits({
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'Cluster',
      metadata: { name: 'capi-ipam-policy-probe', namespace },
      spec: { controlPlaneEndpoint: { host, port: 6443 } },
    });
  }

  /** Deletes one object of the policy (e.g. its parameter ConfigMap, as an operator might forget to apply it). */
  async remove(obj: Obj): Promise<void> {
    await this.api.delete(obj);
  }

  /** Would the server create this object? (dry run: nothing is stored) */
  async admits(obj: Obj): Promise<AdmissionAnswer> {
    try {
      await this.api.create(obj, undefined, 'All');
      return { allowed: true, status: 201, message: '' };
    } catch (e) {
      const err = e as { code?: number; body?: unknown };
      return { allowed: false, status: err.code ?? 0, message: typeof err.body === 'string' ? err.body : JSON.stringify(err.body ?? String(e)) };
    }
  }

  /** Waits (bounded) until the policy is in force: a policy becomes active asynchronously after it is created. */
  async untilRejected(host: string, timeoutMs = 30_000): Promise<AdmissionAnswer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await this.admitsCluster(host);
      if (!answer.allowed || Date.now() > deadline) return answer;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
