// `capi-ipam`: the engine from a terminal or a CI job.
import { parseArgs } from 'node:util';
import { loadWorkspace, SELECTION_OPTIONS, selectionOf } from './files';
import { type Format, formatJson, formatSarif, formatText, locate, terminalSafe } from './report';
import { AnalysisHost, poolLabel, HostResolver } from '../engine/index';
import { runAllocate, runRelease } from './allocate';
import { systemLookup } from '../live/resolve';
import { kubeVipRows, kubeVipTable } from './kubeVipRows';
import { runPolicy } from './policy';
import { addRenderings, RENDER_OPTIONS, sourceText, wantsRender } from './render';
import { mapFindings } from '../render/mapping';
import { briefStatus, CLUSTER_UNAVAILABLE, statusOf } from '../live/apiStatus';
import { requestTimeoutMs } from './allocate';
import type { EstateSnapshot } from '../live/estateSnapshot';
import { addressRows, estateTree, findingsOf, formatCsv, formatEstateText } from './estate';

const VERSION = '0.1.0';

const USAGE = `capi-ipam ${VERSION} — control-plane VIPs of Cluster API clusters against IPAM pools

Usage:
  capi-ipam check [PATH…] [--format text|json|sarif] [--fail-on error|warning|none] [--kubeconfig K] [--context C]…
                  [--workload-clusters contexts|secrets|off]
                  [--no-resolve] [--helm CHART [--values FILE]… [--set K=V]… [--release NAME] [--namespace NS] [--helm-path P]]
                  [--kustomize DIR]… [--kustomize-command "kustomize build"] [--include GLOB]… [--exclude GLOB]…
                                                        diagnostics; exit 1 on errors (or as --fail-on says);
                                                        with a kubeconfig, also against the management cluster;
                                                        endpoint host names are resolved unless --no-resolve;
                                                        a chart or overlay is rendered and reported at its values key or patch
  capi-ipam pools [PATH…] [--format text|json] [--kubeconfig K] [--context C]… [--workload-clusters contexts|secrets|off]
                  [--include GLOB]… [--exclude GLOB]…
                                                        pools with total/free/used and the first free address,
                                                        and the kube-vip cloud provider's ranges counted as it does
  capi-ipam estate [PATH…] [--kubeconfig K] [--context C]… [--workload-clusters contexts|secrets|off] [--format text|json|csv]
                                                        every address of the estate with its owner: VIPs, node
                                                        addresses, LoadBalancer Services, pools, allocations and
                                                        kube-vip ranges of every management and workload cluster;
                                                        exit 1 when the estate has findings with errors
  capi-ipam allocate FILE… --cluster NAME [--namespace NS] [--pool NAME] [--kubeconfig K] [--context C]
                   [--write-claim] [--keep] [--timeout SECONDS] [--offline]
                                                        claim an address, wait for it, write it into every VIP place
                                                        (--keep: the cluster's existing claim's address)
  capi-ipam release FILE… --cluster NAME [--namespace NS] [--kubeconfig K] [--context C]
                                                        delete the one IPAddressClaim holding the cluster's VIP
                                                        (only one capi-ipam created) and say which
  capi-ipam release --claim NS/NAME [--foreign] [--kubeconfig K] [--context C]
                                                        delete exactly that IPAddressClaim; one capi-ipam did
                                                        not create only with --foreign
  capi-ipam policy [PATH…] [--format vap|kyverno] [--pool NAME]… [--kubeconfig K] [--context C]
                                                        admission policy from the pools: a ValidatingAdmissionPolicy
                                                        and binding (or a Kyverno ClusterPolicy) plus its ConfigMap
--context is repeatable: each is a management cluster. --workload-clusters says how each CAPI Cluster's own API
server is reached: contexts (default; a context of the kubeconfig whose server is the Cluster's endpoint), secrets
(opt-in: the Cluster's <name>-kubeconfig Secret, read by name, held in memory only) or off.
PATH defaults to the current directory. A directory is walked as the editor walks a workspace folder:
--include/--exclude as capiIpam.include/exclude (default **/*.yaml **/*.yml, minus **/node_modules/** **/.git/**).
Live commands take --request-timeout SECONDS (default 10): the bound of each request to the management cluster.
Exit codes (the highest that applies): 0 ok, 1 findings with errors or a failed operation,
2 usage or a file that cannot be read (reported on stderr; the other files are still checked),
3 the management cluster could not be read (unreachable, no answer within --request-timeout, credentials
refused; the reason on stderr): check and pools still report what the files say, policy prints nothing.
`;

class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

const LIVE_OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string', multiple: true },
  'workload-clusters': { type: 'string' },
  'request-timeout': { type: 'string' },
} as const;

/** Exit code 3: the management cluster could not be read. */
export const EXIT_CLUSTER = 3;

export interface LiveValues {
  kubeconfig?: string;
  context?: string | string[];
  'workload-clusters'?: string;
  'request-timeout'?: string;
}

/**
 * With --kubeconfig/--context, the estate is read once and checked against too: every management
 * cluster (--context, repeatable) and their workload clusters (--workload-clusters). A workload cluster
 * that cannot be read is named on stderr and left out; a management cluster that cannot be read is
 * reported on stderr (why, in plain words) and gives EXIT_CLUSTER, the workspace keeping what the files say.
 */
async function withLive(workspace: AnalysisHost, values: LiveValues): Promise<number> {
  if (!values.kubeconfig && values.context === undefined) return 0;
  const snapshot = await readLive(values);
  if (typeof snapshot === 'number') return snapshot;
  workspace.setLiveInventory(snapshot.inventory);
  return 0;
}

/** The estate, or EXIT_CLUSTER (said on stderr) when a management cluster cannot be read. */
async function readLive(values: LiveValues): Promise<EstateSnapshot | number> {
  const contexts = values.context === undefined ? [] : [values.context].flat();
  const route = values['workload-clusters'] ?? 'contexts';
  if (route !== 'contexts' && route !== 'secrets' && route !== 'off') fail(`unknown --workload-clusters ${route}`);
  const timeoutMs = requestTimeoutMs(values['request-timeout']);
  const { readEstate } = await import('./live');
  let snapshot: EstateSnapshot;
  try {
    snapshot = await readEstate({ kubeconfig: values.kubeconfig, contexts, workloadClusters: route, timeoutMs });
  } catch (e) {
    if ((e as { code?: unknown }).code !== CLUSTER_UNAVAILABLE) throw e;
    process.stderr.write(`capi-ipam: ${terminalSafe((e as Error).message)}; only the files are checked\n`);
    return EXIT_CLUSTER;
  }
  for (const m of snapshot.managementClusters)
    for (const w of m.workloads)
      if (w.state.state === 'forbidden' || w.state.state === 'unreachable')
        process.stderr.write(
          terminalSafe(`capi-ipam: workload cluster ${w.target.namespace}/${w.target.name} (${m.context}): ${w.state.state} — ${w.state.reason ?? ''}`) + '\n',
        );
  return snapshot;
}

/** `estate` always reads the estate (the kubeconfig's current context by default); PATHs are checked against it. */
async function estate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, ...LIVE_OPTIONS, ...SELECTION_OPTIONS },
  });
  if (!['text', 'json', 'csv'].includes(values.format)) fail(`unknown --format ${values.format}`);
  const { workspace, problems } = positionals.length ? loadWorkspace(positionals, selectionOf(values)) : { workspace: new AnalysisHost(), problems: [] };
  const snapshot = await readLive(values);
  if (typeof snapshot === 'number') return Math.max(reportProblems(problems), snapshot);
  workspace.setLiveInventory(snapshot.inventory);
  return printEstate(workspace, snapshot, values.format, problems);
}

function printEstate(workspace: AnalysisHost, snapshot: EstateSnapshot, format: string, problems: string[]): number {
  const analysis = workspace.snapshot().analysis;
  const rows = addressRows(snapshot);
  const findings = findingsOf(analysis);
  const tree = estateTree(snapshot);
  if (format === 'json') process.stdout.write(JSON.stringify({ managementClusters: tree, addresses: rows, findings }, null, 2) + '\n');
  else if (format === 'csv') process.stdout.write(formatCsv(rows));
  else process.stdout.write(formatEstateText(rows, tree, findings));
  return reportProblems(problems) || (findings.some((f) => f.severity === 'error') ? 1 : 0);
}

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string', default: 'error' },
      'no-resolve': { type: 'boolean' },
      namespace: { type: 'string' },
      ...RENDER_OPTIONS,
      ...LIVE_OPTIONS,
      ...SELECTION_OPTIONS,
    },
  });
  const format = values.format as Format;
  if (!['text', 'json', 'sarif'].includes(format)) fail(`unknown --format ${format}`);
  const failOn = values['fail-on'];
  if (!['error', 'warning', 'none'].includes(failOn)) fail(`unknown --fail-on ${failOn}`);
  const { workspace, files, problems } = loadWorkspace(positionals.length || wantsRender(values) ? positionals : ['.'], selectionOf(values));
  const maps = (await addRenderings(workspace, values)).map((r) => r.map);
  const live = await withLive(workspace, values);
  if (!values['no-resolve']) {
    const resolver = new HostResolver(systemLookup);
    await resolver.resolveAll(workspace.snapshot().hostnames());
    workspace.setOptions({ resolver });
  }
  const findings = mapFindings(workspace.snapshot().diagnostics(), maps).sort((a, b) => a.uri.localeCompare(b.uri) || a.span.start - b.span.start);
  const located = locate(findings, (uri) => sourceText(workspace, uri));
  process.stdout.write(format === 'json' ? formatJson(located) : format === 'sarif' ? formatSarif(located, VERSION) : formatText(located, files.length));
  const failing = failOn === 'none' ? [] : findings.filter((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
  return Math.max(reportProblems(problems), live, failing.length ? 1 : 0);
}

/** Files that could not be read: one line each on stderr; exit code 2 (the rest was checked). */
function reportProblems(problems: string[]): number {
  for (const p of problems) process.stderr.write(`capi-ipam: ${terminalSafe(p)}\n`);
  return problems.length ? 2 : 0;
}

async function pools(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, ...LIVE_OPTIONS, ...SELECTION_OPTIONS },
  });
  if (!['text', 'json'].includes(values.format)) fail(`unknown --format ${values.format}`);
  const { workspace, problems } = loadWorkspace(positionals.length ? positionals : ['.'], selectionOf(values));
  const live = await withLive(workspace, values);
  const api = workspace.snapshot();
  const inventory = api.inventory();
  const rows = inventory.pools.map((p) => {
    const u = api.usage(p);
    // An external IPAM keeps the ranges (Infoblox, NetBox, …): only what is used is known.
    const managed = p.source?.managedBy;
    return {
      kind: p.kind,
      namespace: p.namespace,
      name: p.name,
      addresses: p.spec.addresses,
      ...(managed ? { managedBy: managed } : {}),
      total: managed ? '-' : u.status.total.toString(),
      free: managed ? '-' : u.status.free.toString(),
      used: String(u.status.used),
      firstFree: u.firstFree,
      errors: p.analysis.errors.map((e) => e.message),
      users: u.users.map((x) => ({ address: x.address, name: x.name, cluster: x.cluster })),
    };
  });
  const kubeVip = kubeVipRows(inventory);
  if (values.format === 'json') {
    process.stdout.write(JSON.stringify([...rows, ...kubeVip], null, 2) + '\n');
    return Math.max(reportProblems(problems), live);
  }
  const table = [
    ['NAME', 'KIND', 'ADDRESSES', 'TOTAL', 'FREE', 'USED', 'FIRST FREE'],
    ...rows.map((r) => [
      r.namespace ? `${r.namespace}/${r.name}` : r.name,
      r.kind,
      r.managedBy ? `ranges managed by ${r.managedBy}` : JSON.stringify(r.addresses),
      r.total,
      r.free,
      r.used,
      r.firstFree ?? (r.errors.length ? 'invalid' : r.managedBy ? '-' : 'exhausted'),
    ]),
  ];
  const print = (t: string[][]) => {
    const safe = t.map((row) => row.map(terminalSafe));
    const widths = safe[0]!.map((_, i) => Math.max(...safe.map((row) => row[i]!.length)));
    process.stdout.write(
      safe
        .map((row) =>
          row
            .map((c, i) => c.padEnd(widths[i]!))
            .join('   ')
            .trimEnd(),
        )
        .join('\n') + '\n',
    );
  };
  print(table);
  if (kubeVip.length) {
    process.stdout.write('\n');
    print(kubeVipTable(kubeVip));
  }
  for (const r of kubeVip) for (const e of r.errors) process.stderr.write(terminalSafe(`kube-vip ${r.key}: ${e}`) + '\n');
  for (const p of inventory.pools) for (const e of p.analysis.errors) process.stderr.write(terminalSafe(`${poolLabel(p)}: ${e.field}: ${e.message}`) + '\n');
  return Math.max(reportProblems(problems), live);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (rest.includes('-h') || rest.includes('--help')) {
      process.stdout.write(USAGE);
      return 0;
    }
    switch (command) {
      case 'check':
        return await check(rest);
      case 'pools':
        return await pools(rest);
      case 'estate':
        return await estate(rest);
      case 'allocate':
        return await runAllocate(rest);
      case 'release':
        return await runRelease(rest);
      case 'policy':
        return await runPolicy(rest, withLive);
      case '--version':
      case '-v':
        process.stdout.write(VERSION + '\n');
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        fail(`unknown command ${command}`);
    }
  } catch (e) {
    const code = (e as { code?: unknown }).code; // a string for Node errors, a number for API errors
    if (e instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`capi-ipam: ${terminalSafe((e as Error).message)}\n\n${USAGE}`);
      return 2;
    }
    if (code === 'ENOENT') {
      process.stderr.write(`capi-ipam: ${terminalSafe((e as Error).message)}\n`);
      return 2;
    }
    if (code === CLUSTER_UNAVAILABLE) {
      process.stderr.write(`capi-ipam: ${terminalSafe((e as Error).message)}\n`);
      return EXIT_CLUSTER;
    }
    // An API error: status code and reason only (client-node's message carries headers and body).
    const message = statusOf(e).code !== undefined ? `request failed: ${briefStatus(e)}` : (e as Error).message;
    process.stderr.write(`capi-ipam: ${terminalSafe(message)}\n`);
    return 1;
  }
}

if (require.main === module) {
  // main never rejects: it reports and returns a code. Exit at once: a request cut off by its timeout may leave a
  // socket to a hung server behind, which must not keep the process alive (stdout and stderr are synchronous here).
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
