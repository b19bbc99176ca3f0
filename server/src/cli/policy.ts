// `capi-ipam policy`: the admission guard generated from the pools, on stdout.
import { parseArgs } from 'node:util';
import { policyYaml, type PolicyFormat, type AnalysisHost } from '../engine/index';
import { loadWorkspace } from './files';

/** `withLive` is main's: the live half of the CLI is a bundle of its own, loaded only with a kubeconfig. */
export async function runPolicy(
  args: string[],
  withLive: (w: AnalysisHost, v: { kubeconfig?: string; context?: string | string[]; 'request-timeout'?: string }) => Promise<number>,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'vap' },
      pool: { type: 'string', multiple: true },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      'request-timeout': { type: 'string' },
    },
  });
  const format = values.format as PolicyFormat;
  if (format !== 'vap' && format !== 'kyverno') throw Object.assign(new Error(`unknown --format ${format} (vap or kyverno)`), { code: 'ERR_PARSE_ARGS_USAGE' });
  const { workspace } = loadWorkspace(positionals.length ? positionals : ['.']);
  // A policy from the files alone could reject what the cluster's pools allow: nothing rather than that.
  const live = await withLive(workspace, values);
  if (live) return live;
  const { yaml, notes } = policyYaml(workspace.snapshot().analysis, format, values.pool ?? []);
  process.stdout.write(yaml);
  if (!notes.some((n) => n.startsWith('VIP pool ')))
    process.stderr.write('capi-ipam: no valid VIP pool: the policy rejects every concrete control-plane endpoint\n');
  return 0;
}
