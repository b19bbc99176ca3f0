// The estate benchmark's clusters in a process of their own: a management sandbox with N Clusters and
// N workload sandboxes (each its own HTTPS API server with kube-vip's cloud provider), all counting their
// lists in flight in one InFlight. Prints one JSON line when ready; on each stdin line `stats` prints the
// counts as one JSON line; stops when stdin closes.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import YAML from 'yaml';
import { startSandbox } from '../test/sandbox/index';
import { InFlight } from '../test/sandbox/inFlight';
import { attachSandboxWorkloads } from '../test/sandbox/workloads';

export interface EstateScale {
  clusters: number;
  nodes: number;
  services: number;
}

/** Cluster i's VIP, node and Service addresses: disjoint blocks, so the estate has no finding to make. */
export const vipOf = (i: number) => `10.20.${Math.floor(i / 250)}.${(i % 250) + 1}`;
const nodeIp = (i: number, n: number) => `10.30.${i}.${n + 1}`;
const serviceIp = (i: number, s: number) => `10.40.${i}.${s + 1}`;

function seeds(scale: EstateScale): { management: string; workloads: { namespace: string; name: string; seed: string }[] } {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-bench-estate-'));
  const docs = (objs: unknown[]) => objs.map((o) => YAML.stringify(o)).join('---\n');
  const management = join(dir, 'management.yaml');
  writeFileSync(
    management,
    docs(
      [...Array(scale.clusters).keys()].map((i) => ({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name: `bench-${i}`, namespace: 'default' },
        spec: { controlPlaneEndpoint: { host: vipOf(i), port: 6443 } },
      })),
    ),
  );
  const workloads = [...Array(scale.clusters).keys()].map((i) => {
    const seed = join(dir, `bench-${i}`);
    mkdirSync(seed);
    writeFileSync(
      join(seed, 'cluster.yaml'),
      docs([
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'kubevip', namespace: 'kube-system' },
          data: { 'range-global': `${serviceIp(i, 0)}-${serviceIp(i, scale.services + 9)}` },
        },
        ...[...Array(scale.nodes).keys()].map((n) => ({
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: `bench-${i}-node-${n}` },
          status: { addresses: [{ type: 'InternalIP', address: nodeIp(i, n) }] },
        })),
        {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: 'plndr-cp-lock', namespace: 'kube-system' },
          spec: { holderIdentity: `bench-${i}-node-0` },
        },
        ...[...Array(scale.services).keys()].map((s) => ({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `svc-${s}`, namespace: 'default' },
          spec: { type: 'LoadBalancer', loadBalancerIP: serviceIp(i, s), ports: [{ port: 80 }] },
        })),
      ]),
    );
    return { namespace: 'default', name: `bench-${i}`, seed };
  });
  return { management, workloads };
}

async function main() {
  const scale = JSON.parse(process.argv[2]!) as EstateScale;
  const { management, workloads } = seeds(scale);
  const inFlight = new InFlight();
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'capi-ipam-bench-estate-kc-')), 'kubeconfig');
  const mgmt = await startSandbox({ seed: [management], providerDelayMs: 0, inFlight });
  const started = await attachSandboxWorkloads(mgmt, workloads, kubeconfig, { inFlight });
  process.stdout.write(`${JSON.stringify({ kubeconfig })}\n`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'stats') process.stdout.write(`${JSON.stringify(inFlight.snapshot())}\n`);
  });
  process.stdin.on('end', () => void Promise.all([mgmt.stop(), ...started.map((w) => w.stopApiServer())]).then(() => process.exit(0)));
}

if (process.argv[1]?.endsWith('estateSandbox.ts')) {
  void main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
