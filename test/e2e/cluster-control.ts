// The management cluster of the e2e "live" runs and of the demo: the sandbox or the real stack
// (test/support/backend.ts), plus a small control endpoint for the one thing the Kubernetes API
// cannot do to itself: an outage of the API server (POST /stop, POST /start; GET /state), a hung one
// (POST /freeze, POST /thaw), or an outage of one workload cluster's (POST /workload/NAME/stop, /start). Everything
// else the tests read and change through the Kubernetes API with the kubeconfig, on both backends.
// Run by launch-headless.mjs and demo.mjs as `node --import tsx test/e2e/cluster-control.ts
// [--backend sandbox|real] --kubeconfig FILE --seed PATH… [--workload NAMESPACE/NAME=SEED_DIR]…`; prints one line `e2e-cluster-ready {json}`
// when serving, or `e2e-cluster-not-run {json}` (and exits 0) when the real lane cannot run here.
// The control endpoint listens on 127.0.0.1 only and never returns the token or keys. It answers
// only requests carrying the bearer token from $CAPI_IPAM_CONTROL_TOKEN (without it, a random one
// nobody knows: the endpoint is closed), and refuses any request a browser marks as cross-origin,
// so a web page that guesses the port can neither stop the cluster nor learn anything.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { realLaneMissing, startBackend, type BackendName } from '../support/backend';
import { parseWorkload } from '../support/workloads';
import { bearerOf, sameSecret } from '../sandbox/secret';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'sandbox' },
      kubeconfig: { type: 'string' },
      seed: { type: 'string', multiple: true, default: [] },
      workload: { type: 'string', multiple: true, default: [] },
    },
  });
  const name = values.backend as BackendName;
  if (name !== 'sandbox' && name !== 'real') throw new Error(`--backend takes sandbox or real, not ${name}`);
  if (!values.kubeconfig) throw new Error('--kubeconfig is required');
  const missing = name === 'real' ? realLaneMissing() : undefined; // throws when CAPI_IPAM_REAL_STACK=required
  if (missing) {
    console.log(`e2e-cluster-not-run ${JSON.stringify({ reason: `real lane NOT RUN: ${missing}` })}`);
    return;
  }
  const backend = await startBackend(name, { kubeconfig: values.kubeconfig, seed: values.seed, workloads: values.workload.map(parseWorkload) });
  let serving = true;

  // One workload cluster's API server alone: POST /workload/NAME/stop and /start (the others stay up).
  const workloadServing = new Map(backend.workloads.map((w) => [w.name, true]));
  const workloadRoutes = Object.fromEntries(
    backend.workloads.flatMap((w) => [
      [
        `POST /workload/${w.name}/stop`,
        async () => {
          if (workloadServing.get(w.name)) await w.stopApiServer();
          workloadServing.set(w.name, false);
          return { serving: false };
        },
      ],
      [
        `POST /workload/${w.name}/start`,
        async () => {
          if (!workloadServing.get(w.name)) await w.startApiServer();
          workloadServing.set(w.name, true);
          return { serving: true };
        },
      ],
    ]),
  ) as Record<string, () => Promise<unknown>>;
  const routes: Record<string, () => Promise<unknown>> = {
    ...workloadRoutes,
    'GET /state': async () => ({ serving }),
    'POST /stop': async () => {
      if (serving) await backend.stopApiServer();
      serving = false;
      return { serving };
    },
    // A hung API server: connections open, nothing answered (SIGSTOP on the real stack).
    'POST /freeze': async () => {
      backend.freezeApiServer(true);
      return { serving, frozen: true };
    },
    'POST /thaw': async () => {
      backend.freezeApiServer(false);
      return { serving, frozen: false };
    },
    'POST /start': async () => {
      if (!serving) await backend.startApiServer();
      serving = true;
      return { serving };
    },
  };

  const token = process.env.CAPI_IPAM_CONTROL_TOKEN || randomBytes(24).toString('hex');
  const control = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const route = routes[`${req.method} ${(req.url ?? '/').split('?')[0]}`];
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const site = req.headers['sec-fetch-site'];
    if (req.headers.origin !== undefined || (site !== undefined && site !== 'none' && site !== 'same-origin')) {
      return reply(403, { error: 'cross-origin requests are refused' });
    }
    if (!sameSecret(bearerOf(req.headers.authorization), token)) return reply(401, { error: 'the control endpoint needs its bearer token' });
    if (!route) return reply(404, { error: `no route ${req.method} ${req.url}` });
    route().then(
      (value) => reply(200, value),
      (error: unknown) => reply(500, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
  const context = name === 'real' ? 'realstack' : 'sandbox';
  console.log(`e2e-cluster-ready ${JSON.stringify({ backend: name, url: backend.url, kubeconfig: backend.kubeconfigPath, context, control: controlUrl })}`);

  // Also after POST /stop: the process must end on a signal, and stop everything it started.
  const stop = () => {
    control.close();
    control.closeAllConnections();
    backend.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`e2e cluster: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
