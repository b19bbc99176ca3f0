// tsx test/realstack/cli.ts --kubeconfig FILE [--seed PATH]… [--workload NS/NAME=DIR]… [--port N]  (npm run realstack -- …)
// The same interface as the sandbox's CLI, with the real kube-apiserver, etcd, the in-cluster IPAM
// provider and kube-vip's cloud provider. Builds them on first use; writes FILE once ready.
import { startRealStack } from './stack';
import { clusterArgs } from '../support/clusterArgs';

async function main() {
  const { kubeconfig, seed, port, workloads } = clusterArgs(
    'realstack',
    'npm run realstack -- --kubeconfig FILE [--seed DIR_OR_FILE]... [--workload NAMESPACE/NAME=SEED_DIR]... [--port N]',
  );
  let stopping: Promise<void> | undefined;
  let stack: Awaited<ReturnType<typeof startRealStack>> | undefined;
  const stop = (sig: string) => {
    if (stopping) return;
    console.log(`realstack: ${sig}, stopping`);
    stopping = (stack?.stop() ?? Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  stack = await startRealStack({ kubeconfig, seed, port, workloads, log: (l) => console.error(l) });
  if (stopping) return void (await stack.stop());
  const v = Object.entries(stack.versions)
    .map(([k, ver]) => `${k} ${ver}`)
    .join(', ');
  console.log(`realstack: serving ${stack.url} (kubeconfig ${stack.kubeconfigPath}, context realstack; ${v}; ready in ${stack.startSeconds.toFixed(1)} s)`);
  for (const w of stack.workloads)
    console.log(`realstack: workload cluster ${w.namespace}/${w.name} serving ${w.url} (context ${w.name}, Secret ${w.namespace}/${w.name}-kubeconfig)`);
}

main().catch((e: unknown) => {
  console.error(`realstack: ${(e as Error)?.message ?? String(e)}`);
  process.exit(1);
});
