// The command line shared by `npm run sandbox` and `npm run realstack`: the same interface for both
// management clusters. A usage error prints the usage and exits 2.
import { parseArgs } from 'node:util';
import { parseWorkload, type WorkloadSpec } from './workloads';

export interface ClusterArgs {
  kubeconfig: string;
  seed: string[];
  port?: number;
  host?: string;
  /** `--workload NAMESPACE/NAME=SEED_DIR`, repeatable. */
  workloads: WorkloadSpec[];
}

export function clusterArgs(name: string, usageLine: string, opts: { host?: boolean } = {}): ClusterArgs {
  const usage = (msg?: string): never => {
    if (msg) console.error(`${name}: ${msg}`);
    console.error(`usage: ${usageLine}`);
    process.exit(2);
  };
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        kubeconfig: { type: 'string' },
        seed: { type: 'string', multiple: true },
        workload: { type: 'string', multiple: true },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...(opts.host ? { host: { type: 'string' } } : {}),
      },
    }));
  } catch (e) {
    return usage((e as Error).message);
  }
  if (values.help) usage();
  if (!values.kubeconfig) usage('--kubeconfig is required');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) usage('--port must be a port number');
  let workloads: WorkloadSpec[];
  try {
    workloads = (values.workload ?? []).map(parseWorkload);
  } catch (e) {
    return usage((e as Error).message);
  }
  return { kubeconfig: values.kubeconfig!, seed: values.seed ?? [], port, host: values.host as string | undefined, workloads };
}
