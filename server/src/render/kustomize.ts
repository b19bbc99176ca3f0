// `kustomize build` (or `kubectl kustomize`) of an overlay, mapped back to the base or patch file
// and the characters that produced each VIP place. The sentinel copy also asks kustomize for its
// origin annotations, which name the file a resource came from when no characters are known.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, parse as parsePath, relative, resolve, sep } from 'node:path';
import { parse, parseAllDocuments, parseDocument } from 'yaml';
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

/** The deepest folder holding both paths. */
function commonFolder(a: string, b: string): string {
  const x = a.split(sep);
  const y = b.split(sep);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.slice(0, i).join(sep) || parsePath(a).root;
}

/** Local paths a kustomization names: resources, bases, components, patches, generators' files, transformers… */
function localRefs(k: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (v: unknown) => typeof v === 'string' && v !== '' && out.push(v);
  const each = (v: unknown, f: (x: unknown) => void) => Array.isArray(v) && v.forEach(f);
  for (const field of ['resources', 'bases', 'components', 'crds', 'generators', 'transformers', 'validators', 'patchesStrategicMerge', 'configurations'])
    each(k[field], add);
  for (const field of ['patches', 'patchesJson6902', 'replacements']) each(k[field], (p) => add((p as { path?: unknown })?.path));
  for (const field of ['configMapGenerator', 'secretGenerator'])
    each(k[field], (g) => {
      const gen = g as { files?: unknown; envs?: unknown; env?: unknown };
      each(gen.files, (f) => typeof f === 'string' && add(f.slice(f.indexOf('=') + 1)));
      each(gen.envs, add);
      add(gen.env);
    });
  add((k.openapi as { path?: unknown } | undefined)?.path);
  return out.filter((r) => !/^[a-z][a-z0-9+.-]*:\/\/|^git@|^(github|gitlab|bitbucket)\.(com|org)\//i.test(r)); // remote: not on disk
}

/**
 * The folder holding everything an overlay reads on disk: its own folder and, followed recursively, every
 * local resource, base and component folder of the kustomizations it reaches and every file they name.
 * `../base` of an overlay lies outside the overlay; copying less than this makes kustomize fail on the copy.
 */
export function kustomizeRoot(dir: string): string {
  let root = resolve(dir);
  const seen = new Set<string>();
  const visit = (d: string) => {
    if (seen.has(d) || seen.size >= MAX_KUSTOMIZATIONS) return;
    seen.add(d);
    root = commonFolder(root, d);
    const kfile = KUSTOMIZATION_FILES.map((f) => join(d, f)).find((f) => existsSync(f));
    let k: unknown;
    try {
      k = kfile && parse(readFileSync(kfile, 'utf8'));
    } catch {
      return; // kustomize reports a broken kustomization itself
    }
    if (!k || typeof k !== 'object') return;
    for (const ref of localRefs(k as Record<string, unknown>)) {
      const p = resolve(d, ref);
      let folder = false;
      try {
        folder = statSync(p).isDirectory();
      } catch {
        continue; // missing: kustomize says so
      }
      if (folder) visit(p);
      else root = commonFolder(root, dirname(p));
    }
  };
  visit(resolve(dir));
  return root;
}

const MAX_KUSTOMIZATIONS = 200;

/** `command` is the renderer with its sub-command: `['kubectl', 'kustomize']` or `['kustomize', 'build']`. */
export function renderKustomize(command: string[], target: KustomizeTarget, ctx: RenderContext, cache?: RenderCache): Promise<Rendering> {
  const dir = resolve(target.dir);
  const root = resolve(target.root);
  const overlay = relative(root, dir);
  if (overlay.startsWith('..')) throw new RenderError(`${target.dir} is outside ${target.root}`);
  const reads = kustomizeRoot(dir);
  if (relative(root, reads).startsWith('..'))
    throw new RenderError(`${target.dir} reads files outside ${target.root} (from ${reads}): only files inside it are rendered`);
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
