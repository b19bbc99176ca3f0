// One way for tests to start a management cluster: the sandbox (test/sandbox, in-process, a second)
// or the real stack (test/realstack: kube-apiserver, etcd, the in-cluster IPAM provider, kube-vip's
// cloud provider). Both are driven over the wire through the same REST client.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { findGo } from '../realstack/build';
import { poll, Rest } from '../realstack/rest';
import { startRealStack, type RealStack } from '../realstack/stack';
import { attachSandboxWorkloads } from '../sandbox/workloads';
import type { Workload, WorkloadSpec } from './workloads';

export type { Workload, WorkloadSpec } from './workloads';

export type BackendName = 'sandbox' | 'real';

export interface Backend {
  name: BackendName;
  kubeconfigPath: string;
  url: string;
  token: string;
  caPem: string;
  rest: Rest;
  /** The sandbox's in-process handle (fault injection, request log); absent on the real stack. */
  sandbox?: Sandbox;
  real?: RealStack;
  /** The workload clusters, in the order asked for (each with its own API server, Cluster, Secret and context). */
  workloads: Workload[];
  /** One workload cluster by name. */
  workload(name: string): Workload;
  /** Creates an object over the wire; throws with the server's message unless it answers 201. */
  create(obj: Record<string, any>): Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  get(apiVersion: string, kind: string, ns: string | undefined, name: string): Promise<Record<string, any> | undefined>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Resolves with the first truthy value of `probe` (each probe a request). */
  waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs?: number): Promise<T>;
  /** An outage of the API server alone (same port, same data afterwards): both backends can have one. */
  stopApiServer(): Promise<void>;
  startApiServer(): Promise<void>;
  /**
   * A hung API server (`true`) and its recovery (`false`): the real stack's kube-apiserver gets SIGSTOP and
   * SIGCONT; the sandbox, in this process, answers nothing and sends nothing on its watches meanwhile.
   */
  freezeApiServer(frozen: boolean): void;
  stop(): Promise<void>;
}

export interface BackendOptions {
  seed?: string[];
  kubeconfig?: string;
  /** The sandbox provider's reaction delay (default 20 ms); benchmarks use 0. */
  providerDelayMs?: number;
  /** Workload clusters: each gets its own API server seeded from `seed`, with kube-vip's cloud provider. */
  workloads?: WorkloadSpec[];
}

/** Whether the real lane runs: by default wherever Go is found; CAPI_IPAM_REAL_STACK=off turns it off. */
export function realLaneWanted(): boolean {
  return process.env.CAPI_IPAM_REAL_STACK !== 'off';
}

/** Why the real lane cannot run here, or undefined when it can. Throws when it is required. */
export function realLaneMissing(): string | undefined {
  if (!realLaneWanted()) return 'CAPI_IPAM_REAL_STACK=off';
  if (findGo()) return undefined;
  const why = 'no Go toolchain found (tried $GO, go on PATH, /usr/local/go/bin/go)';
  if (process.env.CAPI_IPAM_REAL_STACK === 'required') throw new Error(`CAPI_IPAM_REAL_STACK=required but ${why}`);
  return why;
}

/**
 * The backends a parameterised test runs against: the real lane wherever Go is found (reported as
 * skipped, NOT RUN, otherwise; with CAPI_IPAM_REAL_STACK=required no Go is an error);
 * CAPI_IPAM_BACKENDS=sandbox|real picks one.
 */
export function backendNames(): { name: BackendName; skip?: string }[] {
  const only = process.env.CAPI_IPAM_BACKENDS;
  const missing = only === 'sandbox' ? undefined : realLaneMissing();
  const all: { name: BackendName; skip?: string }[] = [{ name: 'sandbox' }, { name: 'real', skip: missing && `real lane NOT RUN: ${missing}` }];
  return all.filter((b) => !only || b.name === only);
}

export async function startBackend(name: BackendName, opts: BackendOptions = {}): Promise<Backend> {
  const kubeconfig = opts.kubeconfig ?? join(mkdtempSync(join(tmpdir(), `capi-ipam-${name}-`)), 'kubeconfig');
  let handle: { url: string; token: string; caPem: string; kubeconfigPath: string; stop(): Promise<void> };
  let sandbox: Sandbox | undefined;
  let real: RealStack | undefined;
  const specs = opts.workloads ?? [];
  let workloads: Workload[];
  if (name === 'sandbox') {
    handle = sandbox = await startSandbox({ seed: opts.seed, kubeconfig: specs.length ? undefined : kubeconfig, providerDelayMs: opts.providerDelayMs });
    workloads = specs.length ? await attachSandboxWorkloads(sandbox, specs, kubeconfig) : [];
  } else {
    handle = real = await startRealStack({ seed: opts.seed, kubeconfig, workloads: specs, log: (l) => console.error(l) });
    workloads = real.workloads;
  }
  const rest = real?.rest ?? new Rest(handle.url, handle.caPem, handle.token);
  return {
    name,
    sandbox,
    real,
    rest,
    workloads,
    workload: (n) => {
      const w = workloads.find((x) => x.name === n);
      if (!w) throw new Error(`${name}: no workload cluster ${n}`);
      return w;
    },
    kubeconfigPath: kubeconfig,
    url: handle.url,
    token: handle.token,
    caPem: handle.caPem,
    async create(obj) {
      const r = await rest.create(obj);
      if (r.status !== 201) throw new Error(`${name}: create ${obj.kind} ${obj.metadata?.name}: ${r.status} ${r.body?.message ?? ''}`);
      return r.body;
    },
    get: (apiVersion, kind, ns, n) => rest.get(apiVersion, kind, ns, n),
    waitFor: (probe, timeoutMs = 20_000) => poll(probe, timeoutMs, 'a condition', 50),
    stopApiServer: () => (real ? real.stopApiServer() : sandbox!.stop()),
    startApiServer: () => (real ? real.startApiServer() : sandbox!.restart()),
    freezeApiServer: (frozen) => (real ? real.freezeApiServer(frozen) : void (sandbox!.faults.frozen = frozen)),
    stop: async () => {
      if (sandbox) for (const w of workloads) await w.stopApiServer();
      await handle.stop();
    },
  };
}
