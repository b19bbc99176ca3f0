// Management-cluster scale (issue 10): against the sandbox and the real stack, seeded with
// Clusters, IPAddresses and their claims, and LoadBalancer Services; the language server over stdio.
// Measures: inventory ready (connected) and its RSS, pages of 500, a watch event → updated
// diagnostics, and the Pools tree request for a /16 with 65k used addresses.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type BackendName, realLaneMissing, startBackend, type Backend } from '../test/support/backend';
import { Rest } from '../test/realstack/rest';
import { LspClient } from '../test/support/lspClient';
import { PoolsRequest, type PoolView } from '../server/src/protocol';
import { IN_BIG_POOL, type Scale, seedOverWire } from './scaleSeed';
import { machine, median, writeSection } from './report';

const G = 'ipam.cluster.x-k8s.io';
const FULL: Scale = { clusters: 10_000, addresses: 100_000, services: 2_000 };
/** "clusters,addresses,services" from the environment, or the full scale. */
function scaleFrom(text: string | undefined): Scale {
  if (!text) return FULL;
  const [clusters, addresses, services] = text.split(',').map(Number);
  return { clusters: clusters!, addresses: addresses!, services: services! };
}
const SANDBOX = scaleFrom(process.env.BENCH_SCALE_SANDBOX);
/**
 * The real stack's scale is a tenth by default, to keep `npm run bench` short: its objects go over
 * HTTPS into etcd (a few hundred creates a second here) and CAIP then adopts every claim.
 * BENCH_SCALE_REAL=10000,100000,2000 measures the full scale.
 */
const REAL = scaleFrom(process.env.BENCH_SCALE_REAL ?? '1000,10000,200');
const PROBE = '10.61.255.250';
const PROBES = Number(process.env.BENCH_SCALE_PROBES ?? 7);

interface Result {
  backend: BackendName;
  scale: Scale;
  seedS: number;
  createsPerS?: number;
  pages: number;
  listed: number;
  readyMs: number;
  rssMiB: number;
  peakMiB: number;
  watchMs: number[];
  clearMs: number[];
  poolsMs: number[];
  blocks: number;
  used: string;
  load: string;
}

const progress = (name: string, what: string) => process.stderr.write(`scale ${name}: ${what} (load ${load()})\n`);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

function memory(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

/** Lists IPAddresses in pages of 500 over the wire, as the language server does; every item counted. */
async function pages(b: Cluster): Promise<{ pages: number; items: number }> {
  const path = await b.rest.path(`${G}/v1beta2`, 'IPAddress');
  let token: string | undefined;
  let n = 0;
  let items = 0;
  do {
    const r = await b.rest.request('GET', `${path}?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    if (r.status !== 200) throw new Error(`list page ${n}: ${r.status}`);
    n++;
    items += r.body.items.length;
    if (r.body.items.length > 500) throw new Error(`a page of ${r.body.items.length} items`);
    token = r.body.metadata?.continue || undefined;
  } while (token);
  return { pages: n, items };
}

/** When our own watch sees `name` change (the language server's watch sees the same event); resolves once the watch is open. */
async function eventSeen(b: Cluster, path: string, name: string, type: string): Promise<{ seen: Promise<number>; stop: () => void }> {
  let stop = () => {};
  let opened = () => {};
  const open = new Promise<void>((resolve) => (opened = resolve));
  const seen = new Promise<number>((resolve) => {
    stop = b.rest.watch(
      `${path}?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
      (e) => {
        if (e.type === type) resolve(performance.now());
      },
      opened,
    );
  });
  await open;
  return { seen, stop };
}

type Cluster = Pick<Backend, 'kubeconfigPath' | 'rest' | 'create' | 'stop'>;

/** The sandbox in its own process (bench/scaleSandbox.ts), seeded there through its create path. */
async function sandboxProcess(scale: Scale): Promise<Cluster> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname ?? '.', 'scaleSandbox.ts'), JSON.stringify(scale)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code})`)));
  });
  const { kubeconfig } = JSON.parse(line) as { kubeconfig: string };
  const rest = Rest.fromKubeconfig(kubeconfig);
  return {
    kubeconfigPath: kubeconfig,
    rest,
    async create(obj) {
      const r = await rest.create(obj);
      if (r.status !== 201) throw new Error(`sandbox: create ${obj.kind} ${obj.metadata?.name}: ${r.status} ${r.body?.message ?? ''}`);
      return r.body;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}

async function measure(name: BackendName, scale: Scale): Promise<Result> {
  const t = performance.now();
  let createsPerS: number | undefined;
  let b: Cluster;
  if (name === 'sandbox') b = await sandboxProcess(scale);
  else {
    b = await startBackend(name);
    createsPerS = await seedOverWire(b, scale);
  }
  try {
    const seedS = (performance.now() - t) / 1000;
    progress(name, `seeded in ${seedS.toFixed(0)} s`);
    const listed = await pages(b);
    if (listed.items !== scale.addresses) throw new Error(`${name}: listed ${listed.items} of ${scale.addresses} IPAddresses`);

    const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-scale-'));
    const file = join(dir, 'probe.yaml');
    writeFileSync(
      file,
      `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: VSphereCluster\nmetadata:\n  name: probe\n  namespace: fleet-0\nspec:\n  controlPlaneEndpoint:\n    host: ${PROBE}\n    port: 6443\n`,
    );
    const uri = pathToFileURL(file).toString();
    const started = performance.now();
    const lsp = await LspClient.start({ folder: dir, settings: { kubeconfig: b.kubeconfigPath } });
    try {
      await lsp.waitForState('connected', 300_000);
      const readyMs = performance.now() - started;
      progress(name, `inventory ready in ${readyMs.toFixed(0)} ms`);
      const readyLoad = load();
      const afterReady = memory(lsp.proc.pid!);

      const poolsMs: number[] = [];
      let big: PoolView | undefined;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const pools = await lsp.request<PoolView[]>(PoolsRequest);
        poolsMs.push(performance.now() - t0);
        big = pools.find((p) => p.name === 'scale-a');
      }
      if (!big?.allocationBlocks) throw new Error(`${name}: the /16 pool came without blocks`);
      if (big.used !== String(Math.min(IN_BIG_POOL, scale.addresses))) throw new Error(`${name}: the /16 pool shows ${big.used} used`);

      progress(name, `pools request ${median(poolsMs).toFixed(0)} ms`);
      lsp.open(uri);
      const path = await b.rest.path(`${G}/v1beta2`, 'IPAddress', 'fleet-0');
      const watchMs: number[] = [];
      const clearMs: number[] = [];
      // The first round also covers the probe file's first analysis: a warm-up, not counted.
      for (let i = -1; i < PROBES; i++) {
        const probe = `probe-${i + 1}`;
        const added = await eventSeen(b, path, probe, 'ADDED');
        await b.create({
          apiVersion: `${G}/v1beta2`,
          kind: 'IPAddress',
          metadata: { name: probe, namespace: 'fleet-0' },
          spec: { address: PROBE, prefix: 16, claimRef: { name: probe }, poolRef: { apiGroup: G, kind: 'GlobalInClusterIPPool', name: 'scale-b' } },
        });
        await lsp.waitForDiagnostic(uri, 'ip-in-use', 30_000);
        const done = performance.now();
        if (i >= 0) watchMs.push(done - (await added.seen));
        added.stop();
        const deleted = await eventSeen(b, path, probe, 'DELETED');
        await b.rest.delete(`${G}/v1beta2`, 'IPAddress', 'fleet-0', probe);
        await lsp.waitFor(() => lsp.diagnosticsOf(uri, 'ip-in-use').length === 0 || undefined, 30_000, 'ip-in-use cleared');
        if (i >= 0) clearMs.push(performance.now() - (await deleted.seen));
        progress(name, `probe ${i + 1}: ${watchMs.at(-1)?.toFixed(0)} ms`);
        deleted.stop();
      }
      const end = memory(lsp.proc.pid!);
      return {
        backend: name,
        scale,
        seedS,
        createsPerS,
        pages: listed.pages,
        listed: listed.items,
        readyMs,
        rssMiB: afterReady.now,
        peakMiB: end.peak,
        watchMs,
        clearMs,
        poolsMs,
        blocks: big.allocationBlocks.length,
        used: big.used,
        load: readyLoad,
      };
    } finally {
      await lsp.stop();
    }
  } finally {
    await b.stop();
  }
}

const fmt = (n: number) => n.toLocaleString('en');
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

function rows(r: Result): string[] {
  const s = r.scale;
  const what = `${r.backend}: ${fmt(s.clusters)} Clusters, ${fmt(s.addresses)} IPAddresses + claims, ${fmt(s.services)} LB Services`;
  const w = median(r.watchMs);
  const p = median(r.poolsMs);
  return [
    `| ${what}: inventory ready (connected) | ${fmt(Math.round(r.readyMs))} ms, RSS ${r.rssMiB.toFixed(0)} MiB | ≤ 10 s, ≤ 300 MB: ${verdict(r.readyMs <= 10_000 && r.rssMiB * 1.048576 <= 300)} | ${r.load} |`,
    `| ${r.backend}: IPAddresses listed in pages | ${r.pages} pages of ≤ 500, ${fmt(r.listed)} items | limit/continue: ${verdict(r.pages === Math.ceil(r.listed / 500))} | |`,
    `| ${r.backend}: watch event → updated diagnostics (ip-in-use appears), median of ${r.watchMs.length} | ${w.toFixed(0)} ms (max ${Math.max(...r.watchMs).toFixed(0)}) | ≤ 200 ms: ${verdict(w <= 200)} | |`,
    `| ${r.backend}: watch event → diagnostics cleared (address deleted), median | ${median(r.clearMs).toFixed(0)} ms | | |`,
    `| ${r.backend}: Pools tree request, /16 pool with ${fmt(Number(r.used))} used → ${r.blocks} blocks of a /24 | ${p.toFixed(0)} ms | ≤ 300 ms: ${verdict(p <= 300)} | |`,
    `| ${r.backend}: server peak RSS over the run | ${r.peakMiB.toFixed(0)} MiB | | |`,
    `| ${r.backend}: seeding (not a target) | ${r.seedS.toFixed(0)} s${r.createsPerS ? `, ${r.createsPerS.toFixed(0)} creates/s, 16 in parallel` : ', through its create path (admission, provider) in its own process'} | | |`,
  ];
}

/** What stands in the way of the targets not met (read off profiles of the server; see the report). */
const WHY = `
What stands in the way, where a target is not met:
- **Inventory ready, RSS.** The server reads every object (some 212,000 at full scale) in pages of 500:
  over 420 round trips of JSON, parsed and kept as objects (the raw object for release and the pool YAML
  view, the converted inventory for the rules). On this 2-core machine the backend serves on the same cores.
- **Watch event → diagnostics.** A burst of events costs one new inventory and one analysis, and only the
  changed kind is converted again; but each analysis re-runs the rules against the whole merged inventory:
  \`mergeInventories\` and the \`duplicate-ip\`/\`lb-ip-conflict\` rules index all 100,000 addresses again
  (canonical text of each). Meeting 200 ms at this scale needs those indexes kept across changes of the live
  inventory, in the engine's caching (issue 12 item 6), not rebuilt per analysis.
- **Pools tree.** The request sends blocks and counts only (a block's addresses come when it is expanded), but
  it still computes every pool's usage from all its addresses, per request.
`;

async function main() {
  const results: Result[] = [];
  results.push(await measure('sandbox', SANDBOX));
  const missing = process.env.BENCH_SCALE_REAL === 'off' ? 'BENCH_SCALE_REAL=off' : realLaneMissing();
  if (!missing) results.push(await measure('real', REAL));
  const full = (r: Result) => r.scale.clusters === FULL.clusters && r.scale.addresses === FULL.addresses && r.scale.services === FULL.services;
  const body = `\`bench/scale.ts\`: language server over stdio, each backend seeded, then started against it; the watch
figures are timed from the moment the benchmark's own watch sees the event. Load average (1, 5, 15 min)
when the inventory was ready. Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.

| measurement | result | target | load |
|---|---|---|---|
${results.flatMap(rows).join('\n')}
${missing ? `\nThe real stack was not measured: ${missing}.\n` : ''}${results.some((r) => !full(r)) ? `\nA backend was measured below the full scale (see its rows), to keep the run short: the real stack is seeded\nover HTTPS into etcd (see the creates/s row); BENCH_SCALE_REAL=10000,100000,2000 measures it at full scale.\n` : ''}`;
  writeSection('## Management-cluster scale (issue 10)', body + WHY);
  process.stdout.write(body);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
