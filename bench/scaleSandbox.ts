// The scale benchmark's sandbox in a process of its own, as a management cluster is: its CPU (the
// provider, serving watches) does not delay the language server's client. Seeds, prints the
// kubeconfig path as one JSON line, and stops when its stdin closes.
import { startBackend } from '../test/support/backend';
import { type Scale, seedSandbox } from './scaleSeed';

async function main() {
  const scale = JSON.parse(process.argv[2]!) as Scale;
  const b = await startBackend('sandbox', { providerDelayMs: 0 });
  await seedSandbox(b, scale);
  process.stdout.write(`${JSON.stringify({ kubeconfig: b.kubeconfigPath })}\n`);
  process.stdin.on('end', () => void b.stop().then(() => process.exit(0)));
  process.stdin.resume();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
