// The workload-cluster conformance scenario: a management cluster seeded with test/fixtures/estate
// and its workload clusters prod, dev and lab, driven over the wire; returns what a client observes
// (addresses handed out by kube-vip's cloud provider, nodes, leases, the Secrets and contexts, an
// outage of one workload API server and a revoked credential), the same on both backends.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { Rest } from '../realstack/rest';
import type { Backend, WorkloadSpec } from './backend';
import { CLUSTER_NAME_LABEL } from './workloads';

export const ESTATE = join(import.meta.dirname, '..', 'fixtures', 'estate');
export const ESTATE_SEED = [join(ESTATE, 'management.yaml')];
export const ESTATE_WORKLOADS: WorkloadSpec[] = ['prod', 'dev', 'lab'].map((name) => ({ namespace: 'default', name, seed: join(ESTATE, 'workloads', name) }));

export interface LbService {
  loadBalancerIP: string | null;
  annotation: string | null;
  implementation: string | null;
}

export interface EstateObservations {
  /** Workload cluster → `namespace/name` → what the cloud provider wrote, once settled. */
  services: Record<string, Record<string, LbService>>;
  /** Workload cluster → node → `type=address` list. */
  nodes: Record<string, Record<string, string[]>>;
  /** Workload cluster → lease → holder. */
  leases: Record<string, Record<string, string>>;
  /** lab's ConfigMap as the cloud provider created it (no data), and its pending Service once a range is set. */
  lab: { configMapData: unknown; pendingBefore: string | null; pendingAfter: string };
  /** A Service created later in prod takes the lowest free address of range-global. */
  prodExtra: string;
  /** Management cluster: Clusters, Machines' addresses, the Secrets' shape. */
  clusters: string[];
  labEndpointIsItsServer: boolean;
  machines: Record<string, string[]>;
  secrets: Record<string, { type: string; label: string; keys: string[]; server: boolean; contexts: string[]; tokenWorks: number }>;
  /** The written kubeconfig's contexts, the management one first (its name differs: sandbox / realstack). */
  contexts: string[];
  outage: { devDown: string; prodDuring: number; devAfter: number; devDataKept: boolean };
  forbidden: { prod: number; reason: string; dev: number; prodAfterAllow: number };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const lb = (s: Record<string, any>): LbService => ({
  loadBalancerIP: s.spec?.loadBalancerIP ?? null,
  annotation: s.metadata?.annotations?.['kube-vip.io/loadbalancerIPs'] ?? null,
  implementation: s.metadata?.labels?.implementation ?? null,
});

async function settledServices(b: Backend, cluster: string, expect: string[]): Promise<Record<string, LbService>> {
  const rest = b.workload(cluster).rest;
  return b.waitFor(async () => {
    const items = (await rest.list('v1', 'Service')).filter((s) => s.spec?.type === 'LoadBalancer');
    const out = Object.fromEntries(items.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, lb(s)]));
    return expect.every((k) => out[k]?.implementation === 'kube-vip' && out[k]?.annotation) ? out : undefined;
  }, 60_000);
}

/** The HTTP status, or `unreachable` when the connection is refused or reset (a pooled socket may see either). */
async function status(rest: Rest, path: string): Promise<number | string> {
  try {
    return (await rest.request('GET', path)).status;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ECONNREFUSED' || code === 'ECONNRESET' ? 'unreachable' : (code ?? String(e));
  }
}

export async function runEstateScenario(b: Backend): Promise<EstateObservations> {
  const services: EstateObservations['services'] = {
    prod: await settledServices(b, 'prod', ['default/web', 'default/legacy', 'team-a/app']),
    dev: await settledServices(b, 'dev', ['default/ingress']),
  };
  const nodes: EstateObservations['nodes'] = {};
  const leases: EstateObservations['leases'] = {};
  for (const w of b.workloads) {
    nodes[w.name] = Object.fromEntries(
      (await w.rest.list('v1', 'Node')).map((n) => [
        n.metadata.name,
        (n.status?.addresses ?? []).map((a: { type: string; address: string }) => `${a.type}=${a.address}`),
      ]),
    );
    leases[w.name] = Object.fromEntries(
      (await w.rest.list('coordination.k8s.io/v1', 'Lease', 'kube-system'))
        .filter((l) => l.metadata.name.startsWith('plndr-'))
        .map((l) => [l.metadata.name, l.spec?.holderIdentity]),
    );
  }

  // lab: no pools yet; a range makes the pending Service get one (the real provider on its retry).
  const lab = b.workload('lab').rest;
  const cm = await b.waitFor(() => lab.get('v1', 'ConfigMap', 'kube-system', 'kubevip'));
  const pendingBefore = (await lab.get('v1', 'Service', 'default', 'pending'))?.spec?.loadBalancerIP ?? null;
  const put = await lab.request('PUT', '/api/v1/namespaces/kube-system/configmaps/kubevip', { ...cm, data: { 'range-global': '10.10.0.60-10.10.0.61' } });
  if (put.status !== 200) throw new Error(`lab ConfigMap: ${put.status} ${put.body?.message}`);
  const pendingAfter = await b.waitFor(async () => (await lab.get('v1', 'Service', 'default', 'pending'))?.spec?.loadBalancerIP as string | undefined, 120_000);

  const prod = b.workload('prod').rest;
  const extra = await prod.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'extra', namespace: 'default' },
    spec: { type: 'LoadBalancer', ports: [{ port: 81 }] },
  });
  if (extra.status !== 201) throw new Error(`prod Service extra: ${extra.status}`);
  const prodExtra = await b.waitFor(async () => (await prod.get('v1', 'Service', 'default', 'extra'))?.spec?.loadBalancerIP as string | undefined, 60_000);

  // Management cluster.
  const clusters = (await b.rest.list('cluster.x-k8s.io/v1beta2', 'Cluster')).map((c) => `${c.metadata.namespace}/${c.metadata.name}`).sort();
  const labCluster = await b.get('cluster.x-k8s.io/v1beta2', 'Cluster', 'default', 'lab');
  const labUrl = new URL(b.workload('lab').url);
  const labEndpointIsItsServer =
    labCluster?.spec?.controlPlaneEndpoint?.host === labUrl.hostname && labCluster?.spec?.controlPlaneEndpoint?.port === Number(labUrl.port);
  const machines = Object.fromEntries(
    (await b.rest.list('cluster.x-k8s.io/v1beta2', 'Machine')).map((m) => [
      m.metadata.name,
      (m.status?.addresses ?? []).map((a: { type: string; address: string }) => `${a.type}=${a.address}`),
    ]),
  );
  const secrets: EstateObservations['secrets'] = {};
  for (const w of b.workloads) {
    const s = await b.get('v1', 'Secret', w.namespace, `${w.name}-kubeconfig`);
    const kc = YAML.parse(Buffer.from(s?.data?.value ?? '', 'base64').toString('utf8'));
    const server = kc.clusters[0].cluster.server;
    const fromSecret = new Rest(server, Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), kc.users[0].user.token);
    secrets[w.name] = {
      type: s?.type,
      label: s?.metadata?.labels?.[CLUSTER_NAME_LABEL],
      keys: Object.keys(s?.data ?? {}),
      server: server === w.url,
      contexts: kc.contexts.map((c: { name: string }) => c.name),
      tokenWorks: (await fromSecret.request('GET', '/api/v1/nodes')).status,
    };
  }
  const contexts = (YAML.parse(readFileSync(b.kubeconfigPath, 'utf8')).contexts as { name: string }[]).map((c, i) => (i === 0 ? 'management' : c.name));

  // One workload API server down: the others answer; back with its data.
  const dev = b.workload('dev');
  await dev.stopApiServer();
  const devDown = String(await status(dev.rest, '/api/v1/nodes'));
  const prodDuring = Number(await status(prod, '/api/v1/nodes'));
  await dev.startApiServer();
  const devAfter = Number(await status(dev.rest, '/api/v1/nodes'));
  const devDataKept = (await dev.rest.get('v1', 'Service', 'default', 'ingress'))?.spec?.loadBalancerIP === services.dev['default/ingress']?.loadBalancerIP;

  // A revoked credential: prod's token gets 403, dev's still works.
  const p = b.workload('prod');
  await p.forbid();
  const denied = await p.rest.request('GET', '/api/v1/nodes');
  const devOk = (await dev.rest.request('GET', '/api/v1/nodes')).status;
  await p.allow();
  const prodAfterAllow = (await p.rest.request('GET', '/api/v1/nodes')).status;

  return {
    services,
    nodes,
    leases,
    lab: { configMapData: cm.data ?? null, pendingBefore, pendingAfter },
    prodExtra,
    clusters,
    labEndpointIsItsServer,
    machines,
    secrets,
    contexts,
    outage: { devDown, prodDuring, devAfter, devDataKept },
    forbidden: { prod: denied.status, reason: denied.body?.reason ?? '', dev: devOk, prodAfterAllow },
  };
}
