// `capi-ipam allocate` / `release`: claim an address (or, offline, pick the next free one) and
// write it into every VIP place of the cluster's files.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { nextFree } from '../engine/ip/pool';
import { applyEdits, vipEdits } from '../engine/edits';
import { usedAddresses } from '../engine/fixes';
import type { PoolInfo, WorkloadCluster } from '../engine/model/types';
import type { Analysis, Workspace } from '../engine/workspace';
import { namesPool, rankPools } from '../engine/ranking';
import { poolLabel } from '../engine/rules/context';
import { loadWorkspace } from './files';
import { allocateLive, releaseLive } from './liveAllocate';

const OPTIONS = {
  cluster: { type: 'string' },
  namespace: { type: 'string' },
  pool: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'write-claim': { type: 'boolean', default: false },
  timeout: { type: 'string', default: '60' },
  offline: { type: 'boolean', default: false },
} as const;

export function findCluster(ws: Workspace, name: string, namespace?: string): WorkloadCluster {
  const matches = ws.analyze().clusters.filter((c) => c.name === name && (!namespace || c.namespace === namespace));
  if (matches.length === 0) throw new Error(`no cluster ${namespace ? namespace + '/' : ''}${name} in the given files`);
  if (matches.length > 1) throw new Error(`cluster ${name} exists in several namespaces (${matches.map((c) => c.namespace).join(', ')}): pass --namespace`);
  return matches[0]!;
}

/** `--pool` exactly, else every usable pool in the order of `rankPools` (the cluster's annotation first). */
export function choosePool(a: Pick<Analysis, 'inventory' | 'clusters'>, cluster: WorkloadCluster, wanted: string | undefined, from: 'live' | 'workspace'): PoolInfo[] {
  const usable = rankPools(a, cluster, { from }).map((r) => r.pool);
  if (!wanted) return usable;
  const hit = usable.filter((p) => namesPool(p, wanted));
  if (hit.length === 0) throw new Error(`no pool ${wanted} usable from namespace ${cluster.namespace} (known: ${usable.map(poolLabel).join(', ') || 'none'})`);
  return hit;
}

/** Writes edited texts back to disk. */
export function writeEdits(ws: Workspace, edits: ReturnType<typeof vipEdits>): string[] {
  const uris = [...new Set(edits.map((e) => e.uri))];
  const texts = new Map(uris.map((u) => [u, ws.text(u)!]));
  const next = applyEdits(texts, edits);
  for (const u of uris) writeFileSync(u, next.get(u)!);
  return uris;
}

export async function runAllocate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  if (!values.cluster) throw Object.assign(new Error('--cluster is required'), { code: 'ERR_PARSE_ARGS_USAGE' });
  if (positionals.length === 0) throw Object.assign(new Error('give the cluster files'), { code: 'ERR_PARSE_ARGS_USAGE' });
  const { workspace } = loadWorkspace(positionals);
  const cluster = findCluster(workspace, values.cluster, values.namespace);
  if (values.offline) {
    const analysis = workspace.analyze();
    const used = usedAddresses(analysis.clusters.filter((c) => c !== cluster), analysis.inventory);
    for (const pool of choosePool(analysis, cluster, values.pool, 'workspace')) {
      const [ip] = nextFree(pool.analysis, used, 1);
      if (!ip) continue;
      const files = writeEdits(workspace, vipEdits(cluster, ip));
      process.stdout.write(`${ip}\n`);
      process.stderr.write(`wrote ${ip} (next free address of ${poolLabel(pool)}) into ${files.join(', ')}. Offline: nothing reserves this address — create an IPAddressClaim or run without --offline.\n`);
      return 0;
    }
    process.stderr.write(`capi-ipam: no free address in the workspace pools usable by ${cluster.namespace}/${cluster.name}\n`);
    return 1;
  }
  const result = await allocateLive(workspace, cluster, {
    pool: values.pool, kubeconfig: values.kubeconfig, context: values.context, writeClaim: values['write-claim'], timeoutSeconds: Number(values.timeout),
  });
  process.stdout.write(`${result.address}\n`);
  process.stderr.write(`IPAddressClaim ${result.claim.namespace}/${result.claim.name} holds ${result.address}; wrote it into ${result.files.join(', ')}.\n`);
  return 0;
}

export async function runRelease(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  if (!values.cluster) throw Object.assign(new Error('--cluster is required'), { code: 'ERR_PARSE_ARGS_USAGE' });
  const namespace = values.namespace ?? (positionals.length ? findCluster(loadWorkspace(positionals).workspace, values.cluster).namespace : 'default');
  const released = await releaseLive({ name: values.cluster, namespace }, { kubeconfig: values.kubeconfig, context: values.context });
  process.stderr.write(released ? `deleted IPAddressClaim ${namespace}/${released}: the address is free again.\n` : `no IPAddressClaim of cluster ${namespace}/${values.cluster} found.\n`);
  return released ? 0 : 1;
}
