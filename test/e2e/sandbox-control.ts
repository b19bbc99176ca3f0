// The sandbox management cluster for the e2e "live" run, plus a small control endpoint the
// extension-host tests call to change it (create a pool, stop/start the API server) and to read
// what it holds. Run by launch-headless.mjs as `node --import tsx test/e2e/sandbox-control.ts
// --kubeconfig FILE --seed PATH…`; prints one line `e2e-sandbox-ready {json}` when serving.
// The control endpoint listens on 127.0.0.1 only and never returns the token or keys. It answers
// only requests carrying the bearer token from $CAPI_IPAM_CONTROL_TOKEN (without it, a random one
// nobody knows: the endpoint is closed), and refuses any request a browser marks as cross-origin,
// so a web page that guesses the port can neither change the sandbox nor stop it.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox } from '../sandbox/index';
import { bearerOf, sameSecret } from '../sandbox/secret';

const POOL_KINDS = ['InClusterIPPool', 'GlobalInClusterIPPool'];
/** Kinds `GET /list` reads (never Secrets). */
const LISTABLE = new Set([...POOL_KINDS, 'IPAddressClaim', 'IPAddress', 'Service', 'Cluster', 'ConfigMap', 'Namespace']);

async function body(req: IncomingMessage): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let kubeconfig: string | undefined;
  const seed: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--kubeconfig') kubeconfig = args[++i];
    else if (args[i] === '--seed') seed.push(args[++i]!);
    else throw new Error(`unknown argument ${args[i]}`);
  }
  if (!kubeconfig) throw new Error('--kubeconfig is required');
  const sandbox = await startSandbox({ kubeconfig, seed, heartbeatMs: 1000 });
  let serving = true;

  const routes: Record<string, (req: IncomingMessage) => Promise<unknown>> = {
    'GET /pools': async () =>
      POOL_KINDS.flatMap((kind) => sandbox.list(kind).map((p) => ({ kind, namespace: p.metadata?.namespace, name: p.metadata?.name }))),
    'GET /requests': async () => ({ count: sandbox.requests.length }),
    // /list?kind=IPAddressClaim[&namespace=lab]: name, namespace, labels, spec and status of each object.
    'GET /list': async (req) => {
      const query = new URL(req.url ?? '/', 'http://control').searchParams;
      const kind = query.get('kind') ?? '';
      if (!LISTABLE.has(kind)) throw new Error(`kind ${kind} is not listable (${[...LISTABLE].join(', ')})`);
      await sandbox.idle();
      return sandbox.list(kind, query.get('namespace') ?? undefined).map((o) => ({
        kind,
        namespace: o.metadata?.namespace,
        name: o.metadata?.name,
        labels: o.metadata?.labels ?? {},
        deleting: Boolean(o.metadata?.deletionTimestamp),
        spec: o.spec ?? {},
        status: o.status ?? {},
      }));
    },
    'POST /create': async (req) => {
      const created = sandbox.create(await body(req));
      await sandbox.idle();
      return { kind: created.kind, namespace: created.metadata?.namespace, name: created.metadata?.name };
    },
    'POST /stop': async () => {
      await sandbox.stop();
      serving = false;
      return { serving };
    },
    'POST /start': async () => {
      await sandbox.restart();
      serving = true;
      return { serving };
    },
  };

  const token = process.env.CAPI_IPAM_CONTROL_TOKEN || randomBytes(24).toString('hex');
  const control = createServer((req, res: ServerResponse) => {
    const route = routes[`${req.method} ${(req.url ?? '/').split('?')[0]}`];
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const site = req.headers['sec-fetch-site'];
    if (req.headers.origin !== undefined || (site !== undefined && site !== 'none' && site !== 'same-origin')) {
      req.resume();
      return reply(403, { error: 'cross-origin requests are refused' });
    }
    if (!sameSecret(bearerOf(req.headers.authorization), token)) {
      req.resume();
      return reply(401, { error: 'the control endpoint needs its bearer token' });
    }
    if (!route) return reply(404, { error: `no route ${req.method} ${req.url}` });
    route(req).then(
      (value) => reply(200, value),
      (error: unknown) => reply(500, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
  console.log(`e2e-sandbox-ready ${JSON.stringify({ url: sandbox.url, kubeconfig: sandbox.kubeconfigPath, context: 'sandbox', control: controlUrl })}`);

  // Also after POST /stop (the sandbox is already stopped then): the process must end on a signal.
  const stop = () => {
    control.close();
    control.closeAllConnections();
    (serving ? sandbox.stop() : Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`e2e sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
