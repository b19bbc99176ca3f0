// Allocation benchmark (issues 4, 10): time from the "Allocate IP" request to the applied edit, the
// language server as a child process, on the sandbox (provider reconciling at once) and on the real
// stack (CAIP). The provider's own latency is measured apart, by the benchmark's own watches: from
// the IPAddressClaim appearing to its IPAddress appearing. Our overhead is the rest.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { vipClaimName } from '../server/src/engine/model/clusters';
import { type BackendName, realLaneMissing, startBackend, type Backend } from '../test/support/backend';
import { LspClient } from '../test/support/lspClient';
import { machine, median, writeSection } from './report';

const RUNS = Number(process.env.BENCH_ALLOCATIONS ?? 21);
const G = 'ipam.cluster.x-k8s.io';

interface Run {
  total: number;
  provider: number;
}

/** When our own watch first sees `name` in `path` (for an IPAddress: with its address). */
async function seen(b: Backend, path: string, name: string): Promise<{ at: Promise<number>; stop: () => void }> {
  let stop = () => {};
  let opened = () => {};
  const open = new Promise<void>((resolve) => (opened = resolve));
  const at = new Promise<number>((resolve) => {
    stop = b.rest.watch(
      `${path}?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
      (e) => {
        if ((e.type === 'ADDED' || e.type === 'MODIFIED') && (!path.endsWith('/ipaddresses') || (e.object as { spec?: { address?: string } }).spec?.address))
          resolve(performance.now());
      },
      opened,
    );
  });
  await open; // an event before the watch is open would be missed, or seen late
  return { at, stop };
}

async function measure(name: BackendName): Promise<{ runs: Run[]; load: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-bench-'));
  const b = await startBackend(name, { kubeconfig: join(dir, 'kubeconfig'), providerDelayMs: 0 });
  try {
    await b.create({
      apiVersion: `${G}/v1alpha2`,
      kind: 'GlobalInClusterIPPool',
      metadata: { name: 'bench' },
      spec: { addresses: ['10.40.0.0/22'], prefix: 22 },
    });
    const claims = await b.rest.path(`${G}/v1beta2`, 'IPAddressClaim', 'default');
    const addresses = await b.rest.path(`${G}/v1beta2`, 'IPAddress', 'default');
    const lsp = await LspClient.start({ folder: dir, settings: { kubeconfig: b.kubeconfigPath, allocate: { timeoutSeconds: 30, writeClaim: true } } });
    const runs: Run[] = [];
    try {
      await lsp.waitForState('connected', 60_000);
      for (let i = 0; i < RUNS; i++) {
        const path = join(dir, `c${i}.yaml`);
        writeFileSync(
          path,
          `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: VSphereCluster\nmetadata:\n  name: c${i}\n  namespace: default\nspec:\n  controlPlaneEndpoint:\n    host: ""\n    port: 6443\n`,
        );
        const uri = pathToFileURL(path).toString();
        lsp.open(uri);
        await lsp.waitFor(() => lsp.diagnostics.has(uri) || undefined, 10_000, 'analysed');
        const claim = await seen(b, claims, vipClaimName(`c${i}`));
        const address = await seen(b, addresses, vipClaimName(`c${i}`));
        const t = performance.now();
        await lsp.request('capiIpam/allocate', {
          uri,
          cluster: { name: `c${i}`, namespace: 'default' },
          pool: { kind: 'GlobalInClusterIPPool', name: 'bench' },
        });
        const total = performance.now() - t;
        const provider = (await address.at) - (await claim.at);
        claim.stop();
        address.stop();
        if (!lsp.textOf(uri).includes('10.40.')) throw new Error('edit not applied');
        runs.push({ total, provider });
      }
    } finally {
      await lsp.stop();
    }
    return {
      runs,
      load: loadavg()
        .map((x) => x.toFixed(1))
        .join(' '),
    };
  } finally {
    await b.stop();
  }
}

function rows(name: BackendName, runs: Run[], load: string): string[] {
  const total = median(runs.map((r) => r.total));
  const provider = median(runs.map((r) => r.provider));
  const overhead = median(runs.map((r) => r.total - r.provider));
  return [
    `| ${name}: "Allocate IP" request → edit applied | ${total.toFixed(0)} ms | ${Math.min(...runs.map((r) => r.total)).toFixed(0)}–${Math.max(...runs.map((r) => r.total)).toFixed(0)} ms | | ${load} |`,
    `| ${name}: the provider's own latency (claim seen → IPAddress seen) | ${provider.toFixed(0)} ms | | | |`,
    `| ${name}: our overhead (request → edit, minus the provider) | ${overhead.toFixed(0)} ms | | ≤ 50 ms: ${overhead <= 50 ? 'met' : '**not met**'} | |`,
  ];
}

async function main() {
  const table: string[] = [];
  const sandbox = await measure('sandbox');
  table.push(...rows('sandbox', sandbox.runs, sandbox.load));
  const missing = process.env.BENCH_REAL === 'off' ? 'BENCH_REAL=off' : realLaneMissing();
  if (!missing) {
    const real = await measure('real');
    table.push(...rows('real', real.runs, real.load));
  }
  const section = `\`bench/allocate.ts\`: medians of ${RUNS} allocations, language server over stdio. The provider's latency is
timed by the benchmark's own watches (IPAddressClaim seen → its IPAddress seen); the overhead, per
allocation, is the total minus that (claim create, the server's watch, the edit and applyEdit).
The sandbox's provider reconciles at once; the real stack's is CAIP. Machine: ${machine()}.
Date: ${new Date().toISOString().slice(0, 10)}. Load average (1, 5, 15 min) at the end of each backend's runs.

| measurement | median | range | target | load |
|---|---|---|---|---|
${table.join('\n')}
${missing ? `\nThe real stack was not measured: ${missing}.\n` : ''}`;
  writeSection('## Allocation (issue 4)', section);
  process.stdout.write(section);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
