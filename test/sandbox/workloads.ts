// Workload clusters on the sandbox: one sandbox per cluster, seeded from its folder, with kube-vip's
// cloud provider running in it (kubeVipCloudProvider.ts), registered in the management sandbox like
// the real stack's (test/support/workloads.ts).
import { Rest } from '../realstack/rest';
import { checkWorkloadNames, registerWorkload, writeEstateKubeconfig, type Workload, type WorkloadSpec } from '../support/workloads';
import { startSandbox, type Sandbox } from './index';
import type { InFlight } from './inFlight';

export interface SandboxWorkloadOptions {
  heartbeatMs?: number;
  /** Counts the workload clusters' list requests in flight (the estate benchmark). */
  inFlight?: InFlight;
}

export async function startSandboxWorkload(spec: WorkloadSpec, opts: SandboxWorkloadOptions = {}): Promise<Workload> {
  const sb: Sandbox = await startSandbox({ seed: [spec.seed], kubeVipCloudProvider: true, contextName: spec.name, ...opts });
  return {
    namespace: spec.namespace,
    name: spec.name,
    url: sb.url,
    caPem: sb.caPem,
    token: sb.token,
    rest: new Rest(sb.url, sb.caPem, sb.token),
    sandbox: sb,
    stopApiServer: () => sb.stop(),
    startApiServer: () => sb.restart(),
    forbid: async () => sb.faults.forbid('*'),
    allow: async () => sb.faults.permit(),
  };
}

/**
 * Starts the workload clusters, registers them in the management sandbox and writes `kubeconfig`:
 * the management context (`sandbox`) first, then one context per workload cluster.
 */
export async function attachSandboxWorkloads(mgmt: Sandbox, specs: WorkloadSpec[], kubeconfig: string, opts: SandboxWorkloadOptions = {}): Promise<Workload[]> {
  checkWorkloadNames(specs, 'sandbox');
  const out: Workload[] = [];
  try {
    for (const s of specs) out.push(await startSandboxWorkload(s, opts));
    const rest = new Rest(mgmt.url, mgmt.caPem, mgmt.token);
    for (const w of out) await registerWorkload(rest, w);
  } catch (e) {
    for (const w of out) await w.sandbox!.stop();
    throw e;
  }
  writeEstateKubeconfig(kubeconfig, { name: 'sandbox', url: mgmt.url, caPem: mgmt.caPem, token: mgmt.token }, out);
  return out;
}
