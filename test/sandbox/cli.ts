// tsx test/sandbox/cli.ts --kubeconfig FILE [--seed PATH]… [--workload NS/NAME=DIR]… [--port N] [--host H]
// Serves the sandbox in the foreground; writes FILE once ready (with a context per workload cluster);
// stops on SIGINT/SIGTERM.
import { startSandbox } from './index';
import { attachSandboxWorkloads } from './workloads';
import { clusterArgs } from '../support/clusterArgs';

async function main() {
  const { kubeconfig, seed, port, host, workloads } = clusterArgs(
    'sandbox',
    'npm run sandbox -- --kubeconfig FILE [--seed DIR_OR_FILE]... [--workload NAMESPACE/NAME=SEED_DIR]... [--port N] [--host ADDRESS]',
    { host: true },
  );
  // With workload clusters the kubeconfig is written once they are registered too.
  const sandbox = await startSandbox({ kubeconfig: workloads.length ? undefined : kubeconfig, seed, port, host });
  const wl = await attachSandboxWorkloads(sandbox, workloads, kubeconfig).catch(async (e: unknown) => {
    await sandbox.stop();
    throw e;
  });
  console.log(`sandbox: serving ${sandbox.url} (kubeconfig ${kubeconfig}, context sandbox)`);
  for (const w of wl)
    console.log(`sandbox: workload cluster ${w.namespace}/${w.name} serving ${w.url} (context ${w.name}, Secret ${w.namespace}/${w.name}-kubeconfig)`);
  let stopping = false;
  const stop = (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`sandbox: ${sig}, stopping`);
    Promise.all([sandbox.stop(), ...wl.map((w) => w.stopApiServer())]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`sandbox: ${(e as Error)?.message ?? String(e)}`);
  process.exit(1);
});
