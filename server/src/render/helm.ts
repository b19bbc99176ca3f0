// `helm template` of a chart with the user's values files and --set's, mapped back to the values
// keys (or template files) that produced each VIP place. Both renders run on copies of the chart,
// so the editor's unsaved texts render too.
import { basename, join, resolve, sep } from 'node:path';
import { contentKey, type InputFile, readRegular, readTree } from './inputs';
import { docStarts, RenderMap } from './mapping';
import { copyInputs, type RenderCache, type RenderContext, type Rendering, withEditorTexts } from './rendering';
import { runTool } from './run';
import { Sentinels } from './sentinels';

export interface HelmTarget {
  /** Chart folder (with Chart.yaml). */
  chart: string;
  values: string[];
  set: string[];
  release?: string;
  namespace?: string;
}

function templateArgs(t: HelmTarget, chart: string, values: string[]): string[] {
  const args = ['template', t.release || 'release-name', chart];
  for (const v of values) args.push('--values', v);
  for (const s of t.set) args.push('--set', s);
  if (t.namespace) args.push('--namespace', t.namespace);
  return args;
}

/** The chart file a rendered document came from (`# Source: <chart>/templates/x.yaml`), else Chart.yaml. */
function sourceOf(chart: string, text: string, ctx: RenderContext): (doc: number) => { uri: string; span: { start: number; end: number } } {
  const starts = docStarts(text);
  return (doc) => {
    const m = /^# Source: [^/\n]+\/(.+)$/m.exec(text.slice(starts[doc] ?? 0, starts[doc + 1] ?? text.length));
    const file = m ? join(chart, m[1]!) : '';
    // The path is the chart's word: it must stay inside the chart.
    return { uri: ctx.toUri(file.startsWith(chart + sep) ? file : join(chart, 'Chart.yaml')), span: { start: 0, end: 0 } };
  };
}

export function renderHelm(helm: string, target: HelmTarget, ctx: RenderContext, cache?: RenderCache): Promise<Rendering> {
  const chart = resolve(target.chart);
  const files = withEditorTexts(
    [
      ...readTree(chart, () => true).map((f) => ({ ...f, rel: `chart/${f.rel}` })),
      ...target.values.map((v, i): InputFile => ({ rel: `values-${i}-${basename(v)}`, path: resolve(v), data: Buffer.from(readRegular(v)) })),
    ],
    ctx,
  );
  const values = files.filter((f) => !f.rel.startsWith('chart/')).map((f) => f.rel);
  // One chart may be rendered with several values sets: each rendering has its own uri.
  const uri = `${ctx.toUri(join(chart, 'Chart.yaml'))}#helm-template-${contentKey(
    [
      templateArgs(
        target,
        '',
        target.values.map((v) => resolve(v)),
      ),
    ],
    [],
  ).slice(0, 12)}`;
  const key = contentKey([helm, uri, templateArgs(target, '', [])], files);
  const render = async (sentinels?: Sentinels, empties: (rel: string) => boolean = () => false) => {
    const copy = copyInputs(files, ctx, sentinels, empties);
    try {
      return await runTool(
        helm,
        templateArgs(
          target,
          join(copy.dir, 'chart'),
          values.map((v) => join(copy.dir, v)),
        ),
        { signal: ctx.signal, timeoutMs: ctx.timeoutMs },
      );
    } finally {
      copy.dispose();
    }
  };
  // Probes: addresses only; then also the empty values of the user's values files; then of the chart's too.
  const probes = [() => false, (rel: string) => values.includes(rel), (rel: string) => rel === 'chart/values.yaml' || values.includes(rel)];
  const make = async (): Promise<Rendering> => {
    const text = await render();
    const map = new RenderMap(uri, text, sourceOf(chart, text, ctx));
    for (const empties of probes) {
      const sentinels = new Sentinels();
      if (map.addProbe(await render(sentinels, empties), sentinels) === 0) break;
    }
    return { uri, text, map, inputs: files.map((f) => ctx.toUri(f.path)), claimHome: { dir: join(chart, 'templates') } };
  };
  return cache ? cache.get(key, make) : make();
}
