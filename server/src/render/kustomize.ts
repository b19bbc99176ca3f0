// `kustomize build` (or `kubectl kustomize`) of an overlay, mapped back to the base or patch file
// and the characters that produced each VIP place. The sentinel copy also asks kustomize for its
// origin annotations, which name the file a resource came from when no characters are known.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { contentKey, readTree } from './inputs';
import { RenderMap } from './mapping';
import { copyInputs, type RenderCache, type RenderContext, type Rendering, TEXT_INPUT, withEditorTexts } from './rendering';
import { RenderError, runTool } from './run';
import { Sentinels } from './sentinels';

export interface KustomizeTarget {
  /** The overlay folder (with kustomization.yaml). */
  dir: string;
  /** Folder holding every file the overlay reads (bases, components): the workspace folder, the CLI's cwd. */
  root: string;
}

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** `command` is the renderer with its sub-command: `['kubectl', 'kustomize']` or `['kustomize', 'build']`. */
export function renderKustomize(command: string[], target: KustomizeTarget, ctx: RenderContext, cache?: RenderCache): Promise<Rendering> {
  const dir = resolve(target.dir);
  const root = resolve(target.root);
  const overlay = relative(root, dir);
  if (overlay.startsWith('..')) throw new RenderError(`${target.dir} is outside ${target.root}`);
  const kfile = KUSTOMIZATION_FILES.find((f) => existsSync(join(dir, f)));
  if (!kfile) throw new RenderError(`${target.dir} has no kustomization.yaml`);
  const prefix = overlay ? overlay.split(sep).join('/') + '/' : '';
  const files = withEditorTexts(
    readTree(root, (rel) => TEXT_INPUT.test(rel) || rel.startsWith(prefix)),
    ctx,
  );
  const uri = `${ctx.toUri(join(dir, kfile))}#kustomize-build`;
  const [cmd, ...sub] = command;
  if (!cmd) throw new RenderError('no kustomize command configured');
  const key = contentKey([command, uri], files);
  const render = async (sentinels?: Sentinels, empties = false) => {
    const copy = copyInputs(files, ctx, sentinels, () => empties);
    try {
      if (sentinels) {
        // Origin annotations name each resource's file, for findings no sentinel explains.
        const k = join(copy.dir, overlay, kfile);
        const doc = parseDocument(readFileSync(k, 'utf8'));
        doc.set('buildMetadata', ['originAnnotations']);
        writeFileSync(k, doc.toString());
      }
      return await runTool(cmd, [...sub, join(copy.dir, overlay)], { signal: ctx.signal, timeoutMs: ctx.timeoutMs });
    } finally {
      copy.dispose();
    }
  };
  const make = async (): Promise<Rendering> => {
    const text = await render();
    const sentinels = new Sentinels();
    const probe = await render(sentinels);
    const origins = parseAllDocuments(probe).map((d) => {
      const o = d.getIn(['metadata', 'annotations', 'config.kubernetes.io/origin']);
      const path = typeof o === 'string' ? /^path: (.+)$/m.exec(o)?.[1] : undefined;
      const file = path && !/^\w+:\/\//.test(path) ? join(dir, path) : '';
      return file.startsWith(root + sep) ? file : join(dir, kfile); // only files inside the root
    });
    const fallback = (doc: number) => ({ uri: ctx.toUri(origins[doc] ?? join(dir, kfile)), span: { start: 0, end: 0 } });
    const inputs = new Set([...origins, ...files.filter((f) => f.rel.startsWith(prefix)).map((f) => f.path)].map((p) => ctx.toUri(p)));
    const map = new RenderMap(uri, text, fallback);
    // Addresses first; empty values only if some place is still unexplained (see RenderMap.addProbe).
    if (map.addProbe(probe, sentinels) > 0) {
      const more = new Sentinels();
      map.addProbe(await render(more, true), more);
    }
    return { uri, text, map, inputs: [...inputs], claimHome: { dir, kustomization: join(dir, kfile) } };
  };
  return cache ? cache.get(key, make) : make();
}
