// `helm template` of a chart with the user's values files and --set's, mapped back to the values
// keys (or template lines) that produced each VIP place.
import { basename, join, resolve } from 'node:path';
import { contentKey, type InputFile, readRegular, readTree } from './inputs';
import { docStarts, RenderMap } from './mapping';
import { type RenderCache, type RenderContext, type Rendering, sentinelCopy } from './rendering';
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
    return { uri: ctx.toUri(join(chart, m ? m[1]! : 'Chart.yaml')), span: { start: 0, end: 0 } };
  };
}

export function renderHelm(helm: string, target: HelmTarget, ctx: RenderContext, cache?: RenderCache): Promise<Rendering> {
  const chart = resolve(target.chart);
  const files = readTree(chart, () => true);
  const values: InputFile[] = target.values.map((v, i) => ({ rel: `values-${i}-${basename(v)}`, path: resolve(v), data: Buffer.from(readRegular(v)) }));
  const uri = `${ctx.toUri(join(chart, 'Chart.yaml'))}#helm-template`;
  const key = contentKey([helm, uri, templateArgs(target, '', [])], [...files, ...values]);
  const make = async (): Promise<Rendering> => {
    const opts = { signal: ctx.signal, timeoutMs: ctx.timeoutMs };
    const text = await runTool(helm, templateArgs(target, chart, values.map((v) => v.path)), opts);
    const sentinels = new Sentinels();
    const copy = sentinelCopy([...files.map((f) => ({ ...f, rel: `chart/${f.rel}` })), ...values], sentinels, ctx, (rel) => rel === 'chart/values.yaml' || rel.startsWith('values-'));
    try {
      const copies = values.map((v) => join(copy.dir, v.rel));
      const probe = await runTool(helm, templateArgs(target, join(copy.dir, 'chart'), copies), opts);
      return { uri, text, map: new RenderMap(uri, text, probe, sentinels, sourceOf(chart, text, ctx)), inputs: [...files.map((f) => ctx.toUri(f.path)), ...values.map((v) => ctx.toUri(v.path))] };
    } finally {
      copy.dispose();
    }
  };
  return cache ? cache.get(key, make) : make();
}

