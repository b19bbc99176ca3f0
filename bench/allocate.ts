// Allocation benchmark (issue 4): median time from the "Allocate IP" request to the applied edit,
// language server as a child process, sandbox with the provider reconciling at once (no delay of
// its own), so the figure is our overhead: claim create → watch → IPAddress → edit → applyEdit.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSandbox } from '../test/sandbox/index';
import { LspClient } from '../test/support/lspClient';
import { median, writeSection } from './report';

const RUNS = Number(process.env.BENCH_ALLOCATIONS ?? 21);
const G = 'ipam.cluster.x-k8s.io';


async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-bench-'));
  const sb = await startSandbox({ kubeconfig: join(dir, 'kubeconfig'), providerDelayMs: 0 });
  sb.create({ apiVersion: `${G}/v1alpha2`, kind: 'GlobalInClusterIPPool', metadata: { name: 'bench' }, spec: { addresses: ['10.40.0.0/22'], prefix: 22 } });
  const lsp = await LspClient.start({ folder: dir, settings: { kubeconfig: sb.kubeconfigPath, allocate: { timeoutSeconds: 30, writeClaim: true } } });
  await lsp.waitForState('connected');
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const path = join(dir, `c${i}.yaml`);
    writeFileSync(path, `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: VSphereCluster\nmetadata:\n  name: c${i}\n  namespace: default\nspec:\n  controlPlaneEndpoint:\n    host: ""\n    port: 6443\n`);
    const uri = pathToFileURL(path).toString();
    lsp.open(uri);
    await lsp.waitFor(() => lsp.diagnostics.has(uri) || undefined, 10_000, 'analysed');
    const t = performance.now();
    await lsp.request('capiIpam/allocate', { uri, cluster: { name: `c${i}`, namespace: 'default' }, pool: { kind: 'GlobalInClusterIPPool', name: 'bench' } });
    times.push(performance.now() - t);
    if (!lsp.textOf(uri).includes('10.40.')) throw new Error('edit not applied');
  }
  await lsp.stop();
  await sb.stop();
  const section = `\`bench/allocate.ts\`: ${RUNS} allocations, language server over stdio, sandbox over HTTPS with the provider
reconciling immediately (its own delay excluded).

| measurement | median | min | max |
|---|---|---|---|
| "Allocate IP" request → claim created → IPAddress watched → edit applied | ${median(times).toFixed(0)} ms | ${Math.min(...times).toFixed(0)} ms | ${Math.max(...times).toFixed(0)} ms |
`;
  writeSection('## Allocation (issue 4)', section);
  process.stdout.write(section);
}

void main();
