// Workload clusters beside a management cluster, the same on both backends: each has its own API
// server (a sandbox, or a further kube-apiserver on the real stack); the management cluster gets the
// Cluster (when the seed lacks it) and CAPI's `<name>-kubeconfig` Secret pointing at that server, and the
// written kubeconfig gets a context named after the cluster.
import { chmodSync, writeFileSync } from 'node:fs';
import YAML from 'yaml';
import type { Reply, Rest } from '../realstack/rest';
import type { Sandbox } from '../sandbox/index';

/** `--workload NAMESPACE/NAME=SEED_DIR`. */
export interface WorkloadSpec {
  namespace: string;
  name: string;
  seed: string;
}

export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';
export const CLUSTER_SECRET_TYPE = 'cluster.x-k8s.io/secret';

/** Parses `NAMESPACE/NAME=SEED_DIR`; throws a usage message otherwise. */
export function parseWorkload(arg: string): WorkloadSpec {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)=(.+)$/.exec(arg);
  if (!m) throw new Error(`--workload ${JSON.stringify(arg)}: expected NAMESPACE/NAME=SEED_DIR`);
  return { namespace: m[1]!, name: m[3]!, seed: m[5]! };
}

/** Rejects two workload clusters of one name (their contexts would collide) and the management context's name. */
export function checkWorkloadNames(specs: WorkloadSpec[], reserved: string): void {
  const seen = new Set([reserved]);
  for (const s of specs) {
    if (seen.has(s.name)) throw new Error(`--workload ${s.namespace}/${s.name}: the context name ${s.name} is taken`);
    seen.add(s.name);
  }
}

/** What a test holds of one workload cluster. */
export interface Workload {
  namespace: string;
  name: string;
  url: string;
  caPem: string;
  /** The token of the kubeconfig Secret and of the context (privileges revocable with `forbid`). */
  token: string;
  /** A client with that token. */
  rest: Rest;
  /** An outage of this workload cluster's API server alone (same port and data afterwards). */
  stopApiServer(): Promise<void>;
  startApiServer(): Promise<void>;
  /** The token stays valid but may do nothing (403 on every request): a revoked or unprivileged credential. */
  forbid(): Promise<void>;
  /** Undoes `forbid`. */
  allow(): Promise<void>;
  /** The sandbox's in-process handle; absent on the real stack. */
  sandbox?: Sandbox;
}

interface Endpoint {
  name: string;
  url: string;
  caPem: string;
  token: string;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A kubeconfig with one cluster, user and context per endpoint; the first is the current context. */
export function kubeconfigOf(endpoints: (Endpoint & { context?: string; user?: string })[]): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: endpoints.map((e) => ({ name: e.name, cluster: { server: e.url, 'certificate-authority-data': b64(e.caPem) } })),
    users: endpoints.map((e) => ({ name: e.user ?? e.name, user: { token: e.token } })),
    contexts: endpoints.map((e) => ({ name: e.context ?? e.name, context: { cluster: e.name, user: e.user ?? e.name, namespace: 'default' } })),
    'current-context': endpoints[0]!.context ?? endpoints[0]!.name,
    preferences: {},
  });
}

/** The kubeconfig CAPI puts in `<name>-kubeconfig` (cluster NAME, user NAME-admin, context NAME-admin@NAME). */
export function clusterSecretKubeconfig(w: Endpoint): string {
  return kubeconfigOf([{ ...w, user: `${w.name}-admin`, context: `${w.name}-admin@${w.name}` }]);
}

/** Writes a kubeconfig readable by its owner only (it holds tokens), also over an existing file. */
export function writeSecretFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

async function ok(what: string, p: Promise<Reply>, codes = [200, 201]): Promise<Reply['body']> {
  const r = await p;
  if (!codes.includes(r.status)) throw new Error(`${what}: ${r.status} ${r.body?.message ?? ''}`);
  return r.body;
}

/**
 * Registers a workload cluster in the management cluster over the wire: the Cluster if absent (its
 * endpoint is the workload API server's), then the `<name>-kubeconfig` Secret owned by it, as CAPI
 * writes it (type cluster.x-k8s.io/secret, label cluster.x-k8s.io/cluster-name, key `value`).
 */
export async function registerWorkload(mgmt: Rest, w: Workload): Promise<void> {
  const { namespace, name } = w;
  const ns = await mgmt.request('GET', `/api/v1/namespaces/${namespace}`);
  if (ns.status === 404) await ok(`namespace ${namespace}`, mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }));
  const port = Number(new URL(w.url).port);
  const cluster =
    (await mgmt.get('cluster.x-k8s.io/v1beta2', 'Cluster', namespace, name)) ??
    (await ok(
      `Cluster ${namespace}/${name}`,
      mgmt.create({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name, namespace },
        spec: { controlPlaneEndpoint: { host: '127.0.0.1', port } },
      }),
    ));
  await ok(
    `Secret ${namespace}/${name}-kubeconfig`,
    mgmt.create({
      apiVersion: 'v1',
      kind: 'Secret',
      type: CLUSTER_SECRET_TYPE,
      metadata: {
        name: `${name}-kubeconfig`,
        namespace,
        labels: { [CLUSTER_NAME_LABEL]: name },
        ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', name, uid: cluster.metadata.uid, controller: true }],
      },
      data: { value: b64(clusterSecretKubeconfig(w)) },
    }),
  );
}

/** The management cluster's kubeconfig plus one context per workload cluster, named after it. */
export function writeEstateKubeconfig(path: string, mgmt: Endpoint, workloads: Workload[]): void {
  writeSecretFile(path, kubeconfigOf([mgmt, ...workloads]));
}
