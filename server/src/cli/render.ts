// --helm / --kustomize for `check` and `allocate`: render, check the rendering in place of its
// inputs, and report or edit at the source (values key, patch line).
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { AnalysisHost, ClaimOptions, ClaimPool, WorkloadCluster, TextEdit } from '../engine/index';
import { renderHelm } from '../render/helm';
import { kustomizeRoot, renderKustomize } from '../render/kustomize';
import { claimFileEdits } from '../render/claim';
import type { Rendering } from '../render/rendering';

export const RENDER_OPTIONS = {
  helm: { type: 'string' },
  values: { type: 'string', multiple: true },
  set: { type: 'string', multiple: true },
  release: { type: 'string' },
  'helm-namespace': { type: 'string' },
  'helm-path': { type: 'string' },
  kustomize: { type: 'string', multiple: true },
  'kustomize-command': { type: 'string' },
} as const;

export interface RenderArgs {
  helm?: string;
  values?: string[];
  set?: string[];
  release?: string;
  namespace?: string;
  'helm-namespace'?: string;
  'helm-path'?: string;
  kustomize?: string[];
  'kustomize-command'?: string;
}

export const wantsRender = (v: RenderArgs) => !!v.helm || !!v.kustomize?.length;

/** Paths relative to the cwd, as the rest of the CLI names files. */
const toUri = (p: string) => relative(process.cwd(), resolve(p)) || p;

/** Renders what the arguments name into `workspace` (in place of their inputs). */
export async function addRenderings(workspace: AnalysisHost, v: RenderArgs): Promise<Rendering[]> {
  if ((v.values?.length || v.set?.length || v.release) && !v.helm)
    throw Object.assign(new Error('--values, --set and --release need --helm'), { code: 'ERR_PARSE_ARGS_USAGE' });
  const ctx = { toUri };
  const renderings: Rendering[] = [];
  if (v.helm) {
    const helm = v['helm-path'] ?? process.env.CAPI_IPAM_HELM ?? 'helm';
    renderings.push(
      await renderHelm(
        helm,
        { chart: v.helm, values: v.values ?? [], set: v.set ?? [], release: v.release, namespace: v['helm-namespace'] ?? v.namespace },
        ctx,
      ),
    );
  }
  const command = (v['kustomize-command'] ?? process.env.CAPI_IPAM_KUSTOMIZE ?? 'kubectl kustomize').split(' ').filter(Boolean);
  for (const dir of v.kustomize ?? []) {
    // Everything kustomize reads (the overlay's ../base too, wherever the CLI runs), and the cwd when it holds all that.
    const reads = kustomizeRoot(dir);
    const root = relative(process.cwd(), reads).startsWith('..') ? reads : process.cwd();
    renderings.push(await renderKustomize(command, { dir, root }, ctx));
  }
  for (const r of renderings) {
    for (const input of r.inputs) workspace.removeFile(input);
    workspace.setFile(r.uri, r.text);
  }
  return renderings;
}

/** A file's text: from the workspace, else (a values file or patch rendered from) the disk; '' for a new file. */
export function sourceText(workspace: AnalysisHost, uri: string): string {
  try {
    return workspace.text(uri) ?? readFileSync(uri, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

/** For a cluster of a rendering: the edits that write its claim into the chart or overlay. */
export function claimEditsFor(workspace: AnalysisHost, renderings: Rendering[], cluster: WorkloadCluster): ClaimWriter | undefined {
  const r = renderings.find((x) => x.uri === (cluster.cluster?.uri ?? cluster.anchor.uri));
  return r && ((pool, opts) => claimFileEdits(r.claimHome, cluster, pool, opts, toUri, (uri) => sourceText(workspace, uri)));
}

export type ClaimWriter = (pool: ClaimPool, opts: ClaimOptions) => TextEdit[];
