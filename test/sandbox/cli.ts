// tsx test/sandbox/cli.ts --kubeconfig FILE [--seed PATH]… [--port N] [--host H]
// Serves the sandbox in the foreground; writes FILE once ready; stops on SIGINT/SIGTERM.
import { startSandbox } from './index';

function usage(msg?: string): never {
  if (msg) console.error(`sandbox: ${msg}`);
  console.error('usage: tsx test/sandbox/cli.ts --kubeconfig FILE [--seed DIR_OR_FILE]... [--port N] [--host ADDRESS]');
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  let kubeconfig: string | undefined;
  const seed: string[] = [];
  let port: number | undefined;
  let host: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? args[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--kubeconfig') kubeconfig = value();
    else if (flag === '--seed') seed.push(value());
    else if (flag === '--port') port = Number(value());
    else if (flag === '--host') host = value();
    else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!kubeconfig) usage('--kubeconfig is required');
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) usage('--port must be a port number');
  const sandbox = await startSandbox({ kubeconfig, seed, port, host });
  console.log(`sandbox: serving ${sandbox.url} (kubeconfig ${sandbox.kubeconfigPath}, context sandbox)`);
  let stopping = false;
  const stop = (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`sandbox: ${sig}, stopping`);
    sandbox.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`sandbox: ${(e as Error)?.message ?? String(e)}`);
  process.exit(1);
});
