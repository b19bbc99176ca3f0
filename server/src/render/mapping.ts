// From rendered output back to the files people edit. The engine runs on the real rendering and
// on the sentinel rendering (see sentinels.ts); a value site of the real one is matched with the
// site of the same document, role and order in the sentinel one. The sentinel found there names
// the source characters, and is trusted only if the real value is exactly those characters with
// the same text around them. Everything else points at the document's source file.
import { AnalysisHost, type Finding, type Fix, type Location, type Span, type TextEdit } from '../engine/index';
import type { Sentinel, Sentinels } from './sentinels';

interface SiteMap {
  key: string;
  span: Span;
  value: string;
  doc: number;
  target?: { sentinel: Sentinel; prefix: string; suffix: string };
}

/** Start offsets of the documents of a multi-document YAML text (a `---` line starts a new one). */
export function docStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(/^---[ \t]*(?:#.*)?$/gm)) starts.push(m.index!);
  return starts;
}

function docIndex(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Every VIP place and certSAN of a rendering, keyed by document, role and order. */
function sitesOf(text: string): SiteMap[] {
  const host = new AnalysisHost();
  host.setFile('render', text);
  const starts = docStarts(text);
  const raw: { role: string; span: Span; value: string }[] = [];
  for (const c of host.snapshot().analysis.clusters) {
    for (const p of c.places) raw.push({ role: p.role, span: p.span, value: p.value });
    for (const s of c.certSans?.items ?? []) raw.push({ role: 'certsan', span: s.span, value: s.value });
  }
  raw.sort((a, b) => a.span.start - b.span.start);
  const seen = new Map<string, number>();
  return raw.map((r) => {
    const doc = docIndex(starts, r.span.start);
    const base = `${doc}|${r.role}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { key: `${base}|${n}`, span: r.span, value: r.value, doc };
  });
}

export class RenderMap {
  private readonly sites: SiteMap[];
  private readonly starts: number[];

  /**
   * @param uri the rendering's (virtual) uri in the workspace
   * @param fallback where a finding of document `doc` points when no source characters are known
   */
  constructor(
    readonly uri: string,
    real: string,
    private readonly fallback: (doc: number) => Location,
  ) {
    this.starts = docStarts(real);
    this.sites = sitesOf(real);
  }

  /**
   * Learns from one sentinel rendering the sources of the sites still unexplained; returns how many
   * remain. Probes go from the least to the most intrusive: a sentinel for an empty value can change
   * what a template does (`default`), so a site is explained by the first probe that explains it.
   */
  addProbe(probe: string, sentinels: Sentinels): number {
    const probed = new Map(sitesOf(probe).map((s) => [s.key, s]));
    for (const s of this.sites) {
      if (s.target) continue;
      const hit = probed.get(s.key) && sentinels.find(probed.get(s.key)!.value);
      if (hit && s.value === hit.prefix + hit.sentinel.orig + hit.suffix) s.target = hit;
    }
    return this.sites.filter((s) => !s.target).length;
  }

  /** The rendered span of the place whose source characters overlap [start, end] of `uri`. */
  renderedAt(uri: string, start: number, end: number): Span | undefined {
    return this.sites.find(
      (s) => s.target && s.target.sentinel.source.uri === uri && s.target.sentinel.source.span.start <= end && start <= s.target.sentinel.source.span.end,
    )?.span;
  }

  private siteAt(span: Span): SiteMap | undefined {
    return this.sites.find((s) => s.span.start <= span.start && span.end <= s.span.end);
  }

  location(loc: Location): Location {
    if (loc.uri !== this.uri) return loc;
    const site = this.siteAt(loc.span);
    if (site?.target) return site.target.sentinel.source;
    return this.fallback(site?.doc ?? docIndex(this.starts, loc.span.start));
  }

  finding(f: Finding): Finding {
    if (f.uri !== this.uri && !f.related?.some((r) => r.uri === this.uri)) return f;
    return { ...f, ...this.location(f), related: f.related?.map((r) => ({ ...r, ...this.location(r) })) };
  }

  /** Edits moved to the source, or undefined when an edit of a value cannot be moved. */
  edits(list: TextEdit[]): TextEdit[] | undefined {
    const edits: TextEdit[] = [];
    for (const e of list) {
      if (e.uri !== this.uri) {
        edits.push(e);
        continue;
      }
      const site = this.sites.find((s) => s.span.start < e.span.end && e.span.start < s.span.end) ?? this.siteAt(e.span);
      // An insertion outside any value (a certSAN appended, a claim document) has no source to go to.
      if (!site) continue;
      const t = site.target;
      if (!t || site.span.start !== e.span.start || site.span.end !== e.span.end) return undefined;
      const v = site.value === '' ? e.newText.trimStart() : e.newText;
      if (!v.startsWith(t.prefix) || !v.endsWith(t.suffix) || v.length < t.prefix.length + t.suffix.length) return undefined;
      edits.push({ ...t.sentinel.source, newText: v.slice(t.prefix.length, v.length - t.suffix.length) });
    }
    const unique = new Map<string, TextEdit>();
    for (const e of edits) {
      const k = `${e.uri}|${e.span.start}|${e.span.end}`;
      const prev = unique.get(k);
      if (prev && prev.newText !== e.newText) return undefined; // two places of one source value asked for different values
      unique.set(k, e);
    }
    return unique.size ? [...unique.values()] : undefined;
  }

  fix(fix: Fix): Fix | undefined {
    const edits = this.edits(fix.edits);
    return edits && { ...fix, edits, resolves: fix.resolves.map((f) => this.finding(f)) };
  }
}

/** Findings of the renderings moved to their sources; identical findings (one value feeding several places) reported once. */
export function mapFindings(findings: Finding[], maps: RenderMap[]): Finding[] {
  const out = new Map<string, Finding>();
  for (let f of findings) {
    for (const m of maps) f = m.finding(f);
    const k = `${f.uri}|${f.span.start}|${f.span.end}|${f.code}|${f.message}`;
    if (!out.has(k)) out.set(k, f);
  }
  return [...out.values()];
}

export function mapFixes(fixes: Fix[], maps: RenderMap[]): Fix[] {
  const out: Fix[] = [];
  for (const fix of fixes) {
    let f: Fix | undefined = fix;
    for (const m of maps) f = f && m.fix(f);
    if (f) out.push(f);
  }
  return out;
}
