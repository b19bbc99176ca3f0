// tsx test/realstack/cli.ts --kubeconfig FILE [--seed PATH]… [--port N]  (npm run realstack -- …)
// The same interface as the sandbox's CLI, with the real kube-apiserver, etcd, the in-cluster IPAM
// provider and kube-vip's cloud provider. Builds them on first use; writes FILE once ready.
import { startRealStack } from './stack';

function usage(msg?: string): never {
  if (msg) console.error(`realstack: ${msg}`);
  console.error('usage: npm run realstack -- --kubeconfig FILE [--seed DIR_OR_FILE]... [--port N]');
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  let kubeconfig: string | undefined;
  const seed: string[] = [];
  let port: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? args[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--kubeconfig') kubeconfig = value();
    else if (flag === '--seed') seed.push(value());
    else if (flag === '--port') port = Number(value());
    else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!kubeconfig) usage('--kubeconfig is required');
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) usage('--port must be a port number');
  let stopping: Promise<void> | undefined;
  let stack: Awaited<ReturnType<typeof startRealStack>> | undefined;
  const stop = (sig: string) => {
    if (stopping) return;
    console.log(`realstack: ${sig}, stopping`);
    stopping = (stack?.stop() ?? Promise.resolve()).then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  stack = await startRealStack({ kubeconfig, seed, port, log: (l) => console.error(l) });
  if (stopping) return void (await stack.stop());
  const v = Object.entries(stack.versions).map(([k, ver]) => `${k} ${ver}`).join(', ');
  console.log(`realstack: serving ${stack.url} (kubeconfig ${stack.kubeconfigPath}, context realstack; ${v}; ready in ${stack.startSeconds.toFixed(1)} s)`);
}

main().catch((e: unknown) => {
  console.error(`realstack: ${(e as Error)?.message ?? String(e)}`);
  process.exit(1);
});
