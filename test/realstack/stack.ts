// startRealStack(): etcd, kube-apiserver (TLS, RBAC, ValidatingAdmissionPolicy on: GA since 1.30),
// the CRDs from the modules' own files, the in-cluster IPAM provider with its webhooks served, and
// kube-vip's cloud provider, all on loopback. Writes the kubeconfig only once everything is ready.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { kubeconfigText } from '../sandbox/kubeconfig';
import { readSeed } from '../sandbox/seed';
import { makeTls } from '../sandbox/tls';
import { checkWorkloadNames, registerWorkload, writeEstateKubeconfig, type Workload, type WorkloadSpec } from '../support/workloads';
import { ensureBuilt, type Built } from './build';
import { Proc } from './processes';
import { Fatal, poll, Rest, type WatchEvent } from './rest';

export interface RealStackOptions {
  seed?: string[];
  /** kube-apiserver's port; 0 or absent: a free one. */
  port?: number;
  /** Where to write the kubeconfig (default: a file in the stack's temporary folder). */
  kubeconfig?: string;
  /** Workload clusters: a further kube-apiserver each (same etcd, its own --etcd-prefix) with kube-vip's cloud provider. */
  workloads?: WorkloadSpec[];
  log?: (line: string) => void;
}

export interface RealStack {
  url: string;
  kubeconfigPath: string;
  token: string;
  caPem: string;
  port: number;
  /** Component name → version, e.g. `kube-apiserver: v1.37.2`. */
  versions: Record<string, string>;
  rest: Rest;
  /** The workload clusters, registered in this management cluster (Cluster, `<name>-kubeconfig` Secret, context). */
  workloads: Workload[];
  /** Seconds from the call to ready (builds excluded). */
  startSeconds: number;
  /** Stops kube-apiserver alone (etcd, the provider and the cloud provider keep running), as an outage does. */
  stopApiServer(): Promise<void>;
  /** Starts kube-apiserver again with the same flags, port and data; resolves when /readyz answers. */
  startApiServer(): Promise<void>;
  /** SIGSTOP to kube-apiserver (`true`; a hung server: connections accepted, nothing answered) or SIGCONT (`false`). */
  freezeApiServer(frozen: boolean): void;
  stop(): Promise<void>;
}

const CCM_READY = /Caches are synced for service|Caches are synced.*controller="service"/;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Whether a new TCP connection to the port on loopback is refused (nothing listens any more). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => (socket.destroy(), resolve(false)));
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

function yamlDocs(file: string): Record<string, any>[] {
  return YAML.parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS())
    .filter((o) => o && typeof o === 'object');
}

/** Builds (or takes from the cache) and starts the stack. */
export async function startRealStack(opts: RealStackOptions = {}): Promise<RealStack> {
  const log = opts.log ?? (() => {});
  const built = await ensureBuilt(log);
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-realstack-'));
  const procs: Proc[] = [];
  const stop = async () => {
    for (const p of procs.reverse()) await p.stop();
    procs.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    return await boot(built, dir, procs, opts, log, t0, stop);
  } catch (e) {
    const logs = procs
      .filter((p) => !p.running)
      .map((p) => `\n--- ${p.name} exited; its log ends with:\n${p.tail()}`)
      .join('');
    await stop();
    throw new Error(`${(e as Error).message}${logs}`);
  }
}

async function boot(
  built: Built,
  dir: string,
  procs: Proc[],
  opts: RealStackOptions,
  log: (l: string) => void,
  t0: number,
  stop: () => Promise<void>,
): Promise<RealStack> {
  const bin = (name: string) => join(built.dirs[name]!, 'bin');
  const asset = (name: string, file: string) => join(built.dirs[name]!, file);
  /** Starts a component's binary as process `name` (a workload cluster's copies have names of their own). */
  const start = (name: string, args: string[], env?: NodeJS.ProcessEnv, component = name) => {
    const p = new Proc(name, bin(component), args, join(dir, `${name}.log`), env);
    procs.push(p);
    return p;
  };
  const alive = (p: Proc) => {
    if (!p.running) throw new Fatal(`${p.name} exited`);
  };

  // etcd: plain HTTP on loopback, no fsync (test data).
  const [etcdPort, peerPort, port, webhookPort] = [await freePort(), await freePort(), opts.port || (await freePort()), await freePort()];
  const etcd = start('etcd', [
    '--name=default',
    `--data-dir=${join(dir, 'etcd')}`,
    '--unsafe-no-fsync',
    `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
    `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
    '--log-level=warn',
  ]);
  await poll(
    async () => {
      alive(etcd);
      return (await fetch(`http://127.0.0.1:${etcdPort}/health`)).ok;
    },
    60_000,
    'etcd',
  );

  // kube-apiserver: TLS, a static admin token, RBAC, ServiceAccount tokens signed with our key.
  const tls = makeTls();
  const token = randomBytes(24).toString('hex');
  const specs = opts.workloads ?? [];
  checkWorkloadNames(specs, 'realstack');
  // Each workload cluster's credential: a user of its own, bound to cluster-admin there (revocable), not system:masters.
  const workloadTokens = specs.map(() => randomBytes(24).toString('hex'));
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const files: Record<string, string> = {
    'tls.crt': tls.certPem,
    'tls.key': tls.keyPem,
    'ca.crt': tls.caPem,
    'tokens.csv': [
      `${token},realstack-admin,realstack-admin,system:masters`,
      ...specs.map((w, i) => `${workloadTokens[i]},${workloadUser(w)},${workloadUser(w)}`),
    ]
      .map((l) => `${l}\n`)
      .join(''),
    'sa.key': sa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    'sa.pub': sa.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text, { mode: 0o600 });
  const url = `https://127.0.0.1:${port}`;
  const apiserverArgs = (p: number, name: string, etcdPrefix?: string) => [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    ...(etcdPrefix ? [`--etcd-prefix=${etcdPrefix}`] : []),
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${p}`,
    `--cert-dir=${join(dir, `certs-${name}`)}`,
    `--tls-cert-file=${join(dir, 'tls.crt')}`,
    `--tls-private-key-file=${join(dir, 'tls.key')}`,
    `--token-auth-file=${join(dir, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    `--service-account-issuer=https://127.0.0.1:${p}`,
    `--service-account-key-file=${join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
    '--service-cluster-ip-range=10.96.0.0/24',
    '--endpoint-reconciler-type=none',
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    '--profiling=false',
  ];
  /** A kube-apiserver that can be stopped and started again with the same flags, port and data. */
  const apiServer = (name: string, p: number, r: Rest, etcdPrefix?: string) => {
    let proc: Proc | undefined;
    return {
      start: async () => {
        const q = (proc = start(name, apiserverArgs(p, name, etcdPrefix), undefined, 'kube-apiserver'));
        await poll(
          async () => {
            alive(q);
            return (await r.request('GET', '/readyz')).status === 200;
          },
          120_000,
          `${name} /readyz`,
          200,
        );
      },
      stop: async () => {
        if (!proc) return;
        await proc.stop();
        procs.splice(procs.indexOf(proc), 1);
        proc = undefined;
        // The group leader (the guard) exits first; kube-apiserver itself may still hold the port a moment.
        await poll(() => refused(p), 30_000, `${name} to release its port`, 50);
      },
      /** SIGSTOP/SIGCONT: a hung API server, its port open and silent. */
      freeze: (frozen: boolean) => proc?.pause(frozen),
    };
  };
  const rest = new Rest(url, tls.caPem, token);
  const main = apiServer('kube-apiserver', port, rest);
  const startApiServer = main.start;
  const stopApiServer = main.stop;
  const freezeApiServer = main.freeze;
  await startApiServer();

  // CRDs; the pools convert through the provider's /convert, as the provider's kustomization sets up.
  const whTls = makeTls(['127.0.0.1']);
  const caBundle = Buffer.from(whTls.caPem).toString('base64');
  const whUrl = (path: string) => ({ url: `https://127.0.0.1:${webhookPort}${path}`, caBundle });
  const crdFiles = [
    'crd-clusters.yaml',
    'crd-ipaddresses.yaml',
    'crd-ipaddressclaims.yaml',
    'crd-inclusterippools.yaml',
    'crd-globalinclusterippools.yaml',
    'crd-inclusterprefixpools.yaml',
    'crd-globalinclusterprefixpools.yaml',
  ];
  const crds = [
    ...crdFiles.map((f) => yamlDocs(asset('ipam-provider', f))[0]!),
    yamlDocs(asset('capi-crds', 'crd-machines.yaml'))[0]!,
    // CAPI's own ClusterClass CRD (v1beta1 and v1beta2 served; no conversion webhook here: spec.patches is the same in both).
    yamlDocs(asset('capi-crds', 'crd-clusterclasses.yaml'))[0]!,
    // The other address sources' kinds (Metal3, Infoblox, NetBox, Nutanix, UniFi, CAPMOX, KCP, MachineDeployment, MetalLB, Cilium).
    ...yamlDocs(join(import.meta.dirname, 'crds', 'address-sources.yaml')),
  ];
  for (const crd of crds) {
    if (crd.spec.group === 'ipam.cluster.x-k8s.io' && /pools$/.test(crd.spec.names.plural) && crd.spec.versions.length > 1) {
      crd.spec.conversion = { strategy: 'Webhook', webhook: { clientConfig: whUrl('/convert'), conversionReviewVersions: ['v1'] } };
    }
    const r = await rest.create(crd);
    if (r.status !== 201) throw new Error(`creating CRD ${crd.metadata.name}: ${r.status} ${r.body?.message}`);
  }
  await Promise.all(crds.map((crd) => established(rest, crd.metadata.name, 30_000)));

  // The provider's webhook configurations, pointed at its port on loopback.
  for (const cfg of yamlDocs(asset('ipam-provider', 'webhooks.yaml'))) {
    cfg.metadata.name = `capi-ipam-in-cluster-${cfg.metadata.name}`;
    for (const w of cfg.webhooks) w.clientConfig = whUrl(w.clientConfig.service.path);
    const r = await rest.create(cfg);
    if (r.status !== 201) throw new Error(`creating ${cfg.kind}: ${r.status} ${r.body?.message}`);
  }
  const admin = join(dir, 'admin.kubeconfig');
  writeFileSync(admin, kubeconfigText(url, tls.caPem, token, 'realstack'), { mode: 0o600 });
  mkdirSync(join(dir, 'webhook-certs'));
  writeFileSync(join(dir, 'webhook-certs', 'tls.crt'), whTls.certPem);
  writeFileSync(join(dir, 'webhook-certs', 'tls.key'), whTls.keyPem, { mode: 0o600 });
  const provider = start('ipam-provider', [
    `--kubeconfig=${admin}`,
    '--leader-elect=false',
    '--health-probe-bind-address=0',
    '--diagnostics-address=0',
    `--webhook-port=${webhookPort}`,
    `--webhook-cert-dir=${join(dir, 'webhook-certs')}`,
  ]);
  // kube-vip's cloud provider reads $HOME/.kube/config when run outside a cluster: a home of its own per API server.
  const startCloudProvider = (name: string, kubeconfig: string) => {
    const home = join(dir, `home-${name}`);
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(join(home, '.kube', 'config'), readFileSync(kubeconfig), { mode: 0o600 });
    return start(
      name,
      [
        '--OutSideCluster=true',
        `--kubeconfig=${kubeconfig}`,
        '--leader-elect=false',
        '--secure-port=0',
        '--use-service-account-credentials=false',
        '--configure-cloud-routes=false',
        '--v=2',
      ],
      { ...process.env, HOME: home, KUBEVIP_NAMESPACE: 'kube-system' },
      'kube-vip-cloud-provider',
    );
  };
  const ccm = startCloudProvider('kube-vip-cloud-provider', admin);

  // Ready: the webhooks answer a dry-run create (mutating and validating), the service controller synced.
  const probe = {
    apiVersion: 'ipam.cluster.x-k8s.io/v1alpha2',
    kind: 'GlobalInClusterIPPool',
    metadata: { name: 'realstack-readiness' },
    spec: { addresses: ['10.255.0.1'], prefix: 24 },
  };
  await poll(
    async () => {
      alive(provider);
      return (await rest.create(probe, '?dryRun=All')).status === 201;
    },
    60_000,
    "the provider's webhooks",
    200,
  );
  await ccm.waitForLog(CCM_READY, 60_000);

  await seed(rest, opts.seed ?? []);

  // Workload clusters: a further kube-apiserver on the same etcd under its own prefix, its own cloud provider.
  const workloads: Workload[] = [];
  for (const [i, spec] of specs.entries()) {
    const name = `kube-apiserver-${spec.name}`;
    const wPort = await freePort();
    const wUrl = `https://127.0.0.1:${wPort}`;
    const wAdmin = new Rest(wUrl, tls.caPem, token);
    const server = apiServer(name, wPort, wAdmin, `/capi-ipam-workloads/${spec.namespace}/${spec.name}`);
    await server.start();
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: workloadUser(spec) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: workloadUser(spec) }],
    };
    const wRest = wAdmin.as(workloadTokens[i]!);
    // The authorizer reads bindings from its informer: wait until the token's access has changed.
    const access = (status: number) =>
      poll(async () => (await wRest.request('GET', '/api/v1/namespaces/default')).status === status, 30_000, `${name}: access ${status}`, 50);
    const allow = async () => {
      const r = await wAdmin.create(binding);
      if (r.status !== 201 && r.status !== 409) throw new Error(`${name}: ClusterRoleBinding: ${r.status} ${r.body?.message}`);
      await access(200);
    };
    await allow();
    const wAdminKc = join(dir, `admin-${spec.name}.kubeconfig`);
    writeFileSync(wAdminKc, kubeconfigText(wUrl, tls.caPem, token, spec.name), { mode: 0o600 });
    await startCloudProvider(`kube-vip-cloud-provider-${spec.name}`, wAdminKc).waitForLog(CCM_READY, 60_000);
    await seed(wAdmin, [spec.seed]);
    const w: Workload = {
      namespace: spec.namespace,
      name: spec.name,
      url: wUrl,
      caPem: tls.caPem,
      token: workloadTokens[i]!,
      rest: wRest,
      stopApiServer: server.stop,
      startApiServer: server.start,
      forbid: async () => {
        const r = await wAdmin.request('DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${binding.metadata.name}`);
        if (r.status !== 200 && r.status !== 404) throw new Error(`${name}: deleting the ClusterRoleBinding: ${r.status} ${r.body?.message}`);
        await access(403);
      },
      allow,
    };
    await registerWorkload(rest, w);
    workloads.push(w);
  }

  const kubeconfigPath = opts.kubeconfig ?? join(dir, 'kubeconfig');
  writeEstateKubeconfig(kubeconfigPath, { name: 'realstack', url, caPem: tls.caPem, token }, workloads);
  const versions = { ...built.versions };
  return {
    url,
    kubeconfigPath,
    token,
    caPem: tls.caPem,
    port,
    versions,
    rest,
    workloads,
    startSeconds: (Date.now() - t0) / 1000,
    stopApiServer,
    startApiServer,
    freezeApiServer,
    stop,
  };
}

const workloadUser = (w: WorkloadSpec) => `capi-ipam-workload-${w.namespace}-${w.name}`;

/** Creates the seed objects (and their namespaces); a seeded `.status` is written through the status subresource. */
async function seed(rest: Rest, paths: string[]): Promise<void> {
  const namespaces = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  for (const o of readSeed(paths)) {
    const ns: string | undefined = o.metadata?.namespace;
    if (ns && !namespaces.has(ns)) {
      const r = await rest.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      if (r.status !== 201 && r.status !== 409) throw new Error(`seed: namespace ${ns}: ${r.status} ${r.body?.message}`);
    }
    if (o.kind === 'Namespace') namespaces.add(o.metadata.name);
    if (ns) namespaces.add(ns);
    let r = await rest.create(o);
    if (r.status === 409 && o.kind === 'Namespace') continue;
    if (r.status === 409) {
      // Made meanwhile by a controller (kube-vip's cloud provider creates an empty kubevip ConfigMap): the seed wins.
      const path = await rest.path(o.apiVersion, o.kind, ns ?? 'default', o.metadata.name);
      const cur = await rest.request('GET', path);
      r = await rest.request('PUT', path, { ...o, metadata: { ...o.metadata, resourceVersion: cur.body?.metadata?.resourceVersion } });
      if (r.status === 200) r.status = 201;
    }
    if (r.status !== 201) throw new Error(`seed: ${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name}: ${r.status} ${r.body?.message}`);
    if (o.status) {
      const path = `${await rest.path(o.apiVersion, o.kind, ns, o.metadata.name)}/status`;
      const s = await rest.request('PATCH', path, { status: o.status }, 'application/merge-patch+json');
      if (s.status !== 200 && s.status !== 404) throw new Error(`seed: status of ${o.kind} ${o.metadata.name}: ${s.status} ${s.body?.message}`);
    }
  }
}

/** Resolves when the CRD reports Established, seen on a watch of that one object (its first event is its current state). */
function established(rest: Rest, name: string, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (e: WatchEvent) =>
      e.object?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True');
    const stop = rest.watch(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions?fieldSelector=metadata.name%3D${encodeURIComponent(name)}`, (e) => {
      if (!done(e)) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out after ${ms} ms waiting for CRD ${name} to be Established`));
    }, ms);
  });
}
