// `capi-ipam allocate` / `release`: claim an address (or, offline, pick the next free one) and
// write it into every VIP place of the cluster's files.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type AnalysisHost, type ClusterRef, type TextEdit, type WorkloadCluster, allocationEdits, applyEdits, poolLabel } from '../engine/index';
import { loadWorkspace } from './files';
import { addRenderings, claimEditsFor, RENDER_OPTIONS, sourceText, wantsRender } from './render';
import type { RenderMap } from '../render/mapping';
import { terminalSafe } from './report';
import type { ReleaseWhat } from './liveAllocate';

const OPTIONS = {
  cluster: { type: 'string' },
  namespace: { type: 'string' },
  pool: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'write-claim': { type: 'boolean', default: false },
  keep: { type: 'boolean', default: false },
  timeout: { type: 'string', default: '60' },
  'request-timeout': { type: 'string', default: '10' },
  offline: { type: 'boolean', default: false },
  ...RENDER_OPTIONS,
  claim: { type: 'string' },
  foreign: { type: 'boolean', default: false },
} as const;

export function findCluster(ws: AnalysisHost, name: string, namespace?: string): WorkloadCluster {
  const matches = ws.snapshot().clustersNamed(name, namespace);
  if (matches.length === 0) throw new Error(`no cluster ${namespace ? namespace + '/' : ''}${name} in the given files`);
  if (matches.length > 1) throw new Error(`cluster ${name} exists in several namespaces (${matches.map((c) => c.namespace).join(', ')}): pass --namespace`);
  return matches[0]!;
}

/** Writes edited texts back to disk; edits of a rendering go to its sources (values keys, patches). */
export function writeEdits(ws: AnalysisHost, rendered: TextEdit[], maps: RenderMap[] = []): string[] {
  let edits: TextEdit[] | undefined = rendered;
  for (const m of maps) edits = edits && m.edits(edits);
  if (!edits)
    throw new Error(
      'some VIP places of the rendering come from no values key or patch capi-ipam can edit (a --set, a computed value): edit the source by hand',
    );
  const uris = [...new Set(edits.map((e) => e.uri))];
  const texts = new Map(uris.map((u) => [u, sourceText(ws, u)]));
  const next = applyEdits(texts, edits);
  for (const u of uris) writeFileSync(u, next.get(u)!);
  return uris;
}

export async function runAllocate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  if (!values.cluster) throw Object.assign(new Error('--cluster is required'), { code: 'ERR_PARSE_ARGS_USAGE' });
  if (positionals.length === 0 && !wantsRender(values)) throw Object.assign(new Error('give the cluster files'), { code: 'ERR_PARSE_ARGS_USAGE' });
  const { workspace, problems } = loadWorkspace(positionals);
  for (const p of problems) process.stderr.write(terminalSafe(`capi-ipam: ${p}`) + '\n');
  const renderings = await addRenderings(workspace, { ...values, namespace: undefined });
  const maps = renderings.map((r) => r.map);
  const cluster = findCluster(workspace, values.cluster, values.namespace);
  if (values.offline) {
    const free = workspace.snapshot().nextFreeAddress(cluster, values.pool);
    if (free) {
      const files = writeEdits(workspace, allocationEdits(cluster, free.address), maps);
      process.stdout.write(`${free.address}\n`);
      process.stderr.write(
        terminalSafe(
          `wrote ${free.address} (next free address of ${poolLabel(free.pool)}) into ${files.join(', ')}. Offline: nothing reserves this address — create an IPAddressClaim or run without --offline.`,
        ) + '\n',
      );
      return 0;
    }
    process.stderr.write(terminalSafe(`capi-ipam: no free address in the workspace pools usable by ${cluster.namespace}/${cluster.name}`) + '\n');
    return 1;
  }
  const { allocateLive } = await import('./live');
  const result = await allocateLive(workspace, cluster, {
    pool: values.pool,
    kubeconfig: values.kubeconfig,
    context: values.context,
    writeClaim: values['write-claim'],
    keep: values.keep,
    timeoutSeconds: Number(values.timeout),
    requestTimeoutMs: requestTimeoutMs(values['request-timeout']),
    maps,
    claimWriter: claimEditsFor(workspace, renderings, cluster),
  });
  process.stdout.write(`${result.address}\n`);
  process.stderr.write(
    terminalSafe(`IPAddressClaim ${result.claim.namespace}/${result.claim.name} holds ${result.address}; wrote it into ${result.files.join(', ')}.`) + '\n',
  );
  return 0;
}

const usage = (message: string) => Object.assign(new Error(message), { code: 'ERR_PARSE_ARGS_USAGE' });

/** `--request-timeout SECONDS`: the bound of each request to the management cluster. */
export function requestTimeoutMs(text: string | undefined): number {
  const s = Number(text ?? '10');
  if (!(s > 0 && s <= 300)) throw usage(`--request-timeout takes seconds (0 < N ≤ 300), not ${text}`);
  return s * 1000;
}

export async function runRelease(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  let what: ReleaseWhat;
  if (values.claim) {
    if (values.cluster) throw usage('give --claim or --cluster, not both');
    const [namespace, name, ...rest] = values.claim.split('/');
    if (!namespace || !name || rest.length) throw usage(`--claim takes NAMESPACE/NAME, not ${values.claim}`);
    what = { claim: { namespace, name }, foreign: values.foreign };
  } else {
    if (!values.cluster) throw usage('--claim NAMESPACE/NAME or --cluster NAME is required');
    if (values.foreign) throw usage('--foreign needs --claim NAMESPACE/NAME: a claim capi-ipam did not create is deleted only by name');
    const workspace = positionals.length ? loadWorkspace(positionals).workspace : undefined;
    const cluster = workspace && findCluster(workspace, values.cluster, values.namespace);
    const ref: ClusterRef = { name: values.cluster, namespace: cluster?.namespace ?? values.namespace ?? 'default' };
    what = { cluster: ref, vips: workspace ? workspace.snapshot().vips(ref) : [] };
  }
  // The live bundle's own ReleaseError: the class must be the one its code throws.
  const { releaseLive, ReleaseError } = await import('./live');
  try {
    const r = await releaseLive(what, {
      kubeconfig: values.kubeconfig,
      context: values.context,
      requestTimeoutMs: requestTimeoutMs(values['request-timeout']),
    });
    const held = [r.address, r.pool && `from ${r.pool}`, r.cluster && `cluster ${r.cluster}`].filter(Boolean).join(', ');
    process.stderr.write(
      terminalSafe(`deleted IPAddressClaim ${r.claim.namespace}/${r.claim.name}${held ? ` (${held})` : ''}: the address is free again.`) + '\n',
    );
    return 0;
  } catch (e) {
    if (!(e instanceof ReleaseError)) throw e;
    process.stderr.write(terminalSafe(`capi-ipam: ${e.message}`) + '\n');
    return 1;
  }
}
