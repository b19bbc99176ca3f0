// tsx test/sandbox/cli.ts --kubeconfig FILE [--seed PATH]… [--port N] [--host H]
// Serves the sandbox in the foreground; writes FILE once ready; stops on SIGINT/SIGTERM.
import { startSandbox } from './index';
import { clusterArgs } from '../support/clusterArgs';

async function main() {
  const { kubeconfig, seed, port, host } = clusterArgs(
    'sandbox',
    'tsx test/sandbox/cli.ts --kubeconfig FILE [--seed DIR_OR_FILE]... [--port N] [--host ADDRESS]',
    { host: true },
  );
  const sandbox = await startSandbox({ kubeconfig, seed, port, host });
  console.log(`sandbox: serving ${sandbox.url} (kubeconfig ${sandbox.kubeconfigPath}, context sandbox)`);
  let stopping = false;
  const stop = (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`sandbox: ${sig}, stopping`);
    sandbox.stop().then(
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
