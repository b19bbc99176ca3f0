// Helm charts and Kustomize overlays in the editor: which ones to render (settings, or found: a
// Chart.yaml, a kustomization.yaml no other one uses), rendering off the keystroke path (debounced,
// the previous run cancelled, results cached by input content), and only in a trusted workspace:
// a chart can run plugins and post-renderers.
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import type { AnalysisHost, RenderFailure, Span, TextEdit } from '../engine/index';
import { renderHelm, type HelmTarget } from '../render/helm';
import { KUSTOMIZATION_FILES, renderKustomize } from '../render/kustomize';
import type { RenderMap } from '../render/mapping';
import { RenderCache, type RenderContext, type Rendering } from '../render/rendering';

export interface RenderSettings {
  helmPath: string;
  charts: HelmTarget[];
  kustomizeCommand: string;
  overlays: string[];
  discover: boolean;
}

export const DEFAULT_RENDER: RenderSettings = { helmPath: 'helm', charts: [], kustomizeCommand: 'kubectl kustomize', overlays: [], discover: true };

export function readRenderSettings(r: Record<string, unknown>): RenderSettings {
  const o = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  const str = (v: unknown, d: string) => (typeof v === 'string' && v.trim() ? v : d);
  const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const helm = o(r.helm);
  const kust = o(r.kustomize);
  const charts = (Array.isArray(helm.charts) ? helm.charts : [])
    .map(o)
    .filter((c) => typeof c.chart === 'string')
    .map((c) => ({
      chart: c.chart as string,
      values: strs(c.values),
      set: strs(c.set),
      release: typeof c.release === 'string' ? c.release : undefined,
      namespace: typeof c.namespace === 'string' ? c.namespace : undefined,
    }));
  const d = DEFAULT_RENDER;
  const discover = o(r.render).discover;
  return {
    helmPath: str(helm.path, d.helmPath),
    charts,
    kustomizeCommand: str(kust.command, d.kustomizeCommand),
    overlays: strs(kust.overlays),
    discover: typeof discover === 'boolean' ? discover : d.discover,
  };
}

const RENDER_DELAY_MS = 300;

type Target = { kind: 'helm'; folder: string; target: HelmTarget } | { kind: 'kustomize'; folder: string; dir: string };

export interface RendersHost {
  workspace: AnalysisHost;
  trusted(): boolean;
  folders(): string[];
  settings(): RenderSettings;
  /** The editor's text of an open document. */
  openText(uri: string): string | undefined;
  log(message: string): void;
  changed(): void;
}

export class Renders {
  private readonly cache = new RenderCache();
  private renderings: Rendering[] = [];
  /** Uris of the current renderings' inputs: only a change to one of them can change a rendering. */
  private inputs = new Set<string>();
  /** Renders that failed (the render-failed rule reports each at its chart or overlay). */
  private failures: RenderFailure[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: AbortController | undefined;
  private untrustedLogged = false;

  constructor(private readonly host: RendersHost) {}

  get maps(): RenderMap[] {
    return this.renderings.map((r) => r.map);
  }

  /** A place of a rendering written at [start, end] of a source file: its rendering's uri and span. */
  renderedAt(uri: string, start: number, end: number): { uri: string; span: Span } | undefined {
    for (const r of this.renderings) {
      const span = r.map.renderedAt(uri, start, end);
      if (span) return { uri: r.uri, span };
    }
    return undefined;
  }

  /** Edits of a rendering moved to its sources; undefined when one cannot be, or for no rendering at all. */
  sourceEdits(edits: TextEdit[]): TextEdit[] | undefined {
    let out: TextEdit[] | undefined = edits;
    for (const m of this.maps) out = out && m.edits(out);
    return out;
  }

  isRendering(uri: string): boolean {
    return this.renderings.some((r) => r.uri === uri);
  }

  /**
   * An editor buffer changed. Only an input of a rendering, a file that declares a chart or an overlay,
   * or anything while a render fails (its inputs are unknown) can change what is rendered: typing in a
   * plain cluster file never re-reads and hashes the charts' inputs.
   */
  documentChanged(uri: string): void {
    const declares = uri.endsWith('/Chart.yaml') || KUSTOMIZATION_FILES.some((k) => uri.endsWith(`/${k}`));
    if (declares || this.inputs.has(uri) || this.failures.length) this.schedule();
  }

  /** Render again once changes pause (cheap when no input changed: the cache answers). */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), RENDER_DELAY_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.running?.abort();
  }

  private targets(): Target[] {
    const s = this.host.settings();
    const out: Target[] = [];
    for (const folderUri of this.host.folders().filter((f) => f.startsWith('file:'))) {
      const folder = fileURLToPath(folderUri);
      // Only files inside the workspace folder are read.
      const inside = (p: string) => (p === folder || p.startsWith(folder + sep) ? p : undefined);
      for (const c of s.charts) {
        const chart = inside(resolve(folder, c.chart));
        const values = c.values.map((v) => inside(resolve(folder, v)));
        if (chart && values.every((v) => v)) out.push({ kind: 'helm', folder, target: { ...c, chart, values: values as string[] } });
        else this.host.log(`capiIpam.helm.charts: ${c.chart} names files outside the workspace folder: not rendered`);
      }
      for (const d of s.overlays) {
        const dir = inside(resolve(folder, d));
        if (dir) out.push({ kind: 'kustomize', folder, dir });
        else this.host.log(`capiIpam.kustomize.overlays: ${d} is outside the workspace folder: not rendered`);
      }
    }
    if (!s.discover) return out;
    // Real files only (a rendering's own uri carries a #fragment).
    const files = this.host.workspace
      .uris()
      .filter((u) => u.startsWith('file:') && !u.includes('#'))
      .map((u) => fileURLToPath(u));
    const declared = new Set(out.map((t) => (t.kind === 'helm' ? t.target.chart : t.dir)));
    const folderOf = (p: string) =>
      this.host
        .folders()
        .map((f) => fileURLToPath(f))
        .find((f) => p.startsWith(f + sep));
    for (const f of files) {
      const folder = folderOf(f);
      if (!folder || declared.has(dirname(f))) continue;
      // A library chart renders nothing by itself.
      if (f.endsWith(sep + 'Chart.yaml') && !/^type:\s*library\s*$/m.test(this.textOf(f)))
        out.push({ kind: 'helm', folder, target: { chart: dirname(f), values: [], set: [] } });
    }
    // An overlay is a kustomization no other kustomization of the workspace uses (bases are rendered through it).
    // A Component is only built as part of an overlay.
    const kustomizations = files.filter((f) => KUSTOMIZATION_FILES.some((k) => f.endsWith(sep + k)) && !/^kind:\s*Component\s*$/m.test(this.textOf(f)));
    const used = new Set(kustomizations.flatMap((k) => this.references(k)));
    for (const k of kustomizations) {
      const folder = folderOf(k);
      if (folder && !used.has(dirname(k)) && !declared.has(dirname(k))) out.push({ kind: 'kustomize', folder, dir: dirname(k) });
    }
    return out;
  }

  private textOf(path: string): string {
    return this.host.workspace.text(pathToFileURL(path).toString()) ?? '';
  }

  private references(kfile: string): string[] {
    const text = this.textOf(kfile);
    let doc: Record<string, unknown> | null = null;
    try {
      doc = parseDocument(text).toJS() as Record<string, unknown> | null;
    } catch {
      return []; // not valid YAML: kustomize will say so when it is built
    }
    const list = ['resources', 'bases', 'components'].flatMap((k) => (Array.isArray(doc?.[k]) ? (doc[k] as unknown[]) : []));
    return list.filter((x): x is string => typeof x === 'string' && !x.includes('://')).map((x) => resolve(dirname(kfile), x));
  }

  private async run(): Promise<void> {
    this.running?.abort();
    const abort = (this.running = new AbortController());
    const ws = this.host.workspace;
    if (!this.host.trusted()) {
      if (this.renderings.length || !this.untrustedLogged) this.host.log('Restricted Mode: Helm charts and Kustomize overlays are not rendered');
      this.untrustedLogged = true;
      return this.apply([], []);
    }
    this.untrustedLogged = false;
    const s = this.host.settings();
    const ctx: RenderContext = {
      toUri: (p) => pathToFileURL(p).toString(),
      textOf: (uri) => this.host.openText(uri),
      signal: abort.signal,
    };
    const renderings: Rendering[] = [];
    const failures: RenderFailure[] = [];
    for (const t of this.targets()) {
      const anchor =
        t.kind === 'helm'
          ? join(t.target.chart, 'Chart.yaml')
          : join(t.dir, KUSTOMIZATION_FILES.find((k) => ws.text(pathToFileURL(join(t.dir, k)).toString()) !== undefined) ?? 'kustomization.yaml');
      const render = () =>
        t.kind === 'helm'
          ? renderHelm(s.helmPath, t.target, ctx, this.cache)
          : renderKustomize(s.kustomizeCommand.split(' ').filter(Boolean), { dir: t.dir, root: t.folder }, ctx, this.cache);
      try {
        // A cached render a cancelled run started is cancelled too: once more, then it is ours.
        renderings.push(await render().catch((e: Error) => (e.message === 'cancelled' && !abort.signal.aborted ? render() : Promise.reject(e))));
      } catch (e) {
        if (abort.signal.aborted) return; // a newer run replaces this one
        const message = (e as Error).message;
        // A broken chart fails again at every pause in typing: logged once per message.
        if (!this.failures.some((f) => f.message === message)) this.host.log(`render of ${anchor} failed: ${message}`);
        failures.push({ uri: pathToFileURL(anchor).toString(), tool: t.kind, message });
      }
    }
    if (!abort.signal.aborted) this.apply(renderings, failures);
  }

  private apply(renderings: Rendering[], failures: RenderFailure[]): void {
    const ws = this.host.workspace;
    const next = new Set(renderings.map((r) => r.uri));
    for (const r of this.renderings) if (!next.has(r.uri)) ws.removeFile(r.uri);
    for (const r of renderings) ws.setFile(r.uri, r.text);
    this.inputs = new Set(renderings.flatMap((r) => r.inputs));
    ws.setExcluded([...this.inputs]);
    ws.setRenderFailures(failures);
    const same =
      renderings.length === this.renderings.length &&
      renderings.every((r, i) => r === this.renderings[i]) &&
      JSON.stringify(failures) === JSON.stringify(this.failures);
    this.renderings = renderings;
    this.failures = failures;
    if (!same) this.host.changed();
  }
}
