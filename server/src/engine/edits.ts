// One edit that writes a VIP into every place of a cluster (across files), keeping formatting.
import { canonical } from './ip/addr';
import type { TextEdit } from './types';
import type { ValueSite, WorkloadCluster } from './model/types';
import type { Change, SourceText } from './yaml/source';
import { isHostname } from './model/vipPlaces';

/** Drops edits that overlap an earlier one (two places inside one base64 value, say): never a broken file. */
export function disjoint(edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.uri.localeCompare(b.uri) || a.span.start - b.span.start || a.span.end - b.span.end);
  const out: TextEdit[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    const sameFile = prev?.uri === e.uri;
    const overlaps = sameFile && e.span.start < prev!.span.end;
    const duplicate = sameFile && e.span.start === prev!.span.start && e.span.end === prev!.span.end && e.newText === prev!.newText;
    if (!overlaps && !duplicate) out.push(e);
  }
  return out;
}

export interface VipEditOptions {
  /** Add the VIP to certSANs when the list lacks it (a stale old VIP is replaced either way). Default true. */
  addCertSan?: boolean;
}

/** Rewrites sites, batching the ones that live in one text so that a re-encoded text gets one edit. */
function rewriteAll(sites: ValueSite[], value: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const byText = new Map<SourceText, Change[]>();
  for (const s of sites) {
    const c = s.change?.(value);
    if (!c) {
      edits.push(...s.rewrite(value));
      continue;
    }
    const lifted = c.text.lift([c.change]);
    byText.set(lifted.text, [...(byText.get(lifted.text) ?? []), ...lifted.changes]);
  }
  for (const [text, changes] of byText) edits.push(...text.replaceAll(changes));
  return edits;
}

export function vipEdits(c: WorkloadCluster, vip: string, opts: VipEditOptions = {}): TextEdit[] {
  const target = canonical(vip) ?? vip;
  const old = new Set<string>();
  // A host name stays a host name (it must resolve to the VIP: dns-mismatch).
  const stale = c.places.filter((p) => (canonical(p.value) ?? p.value) !== target && (p.templated || !isHostname(p.value)));
  for (const p of stale) if (p.value) old.add(canonical(p.value) ?? p.value);
  const edits = rewriteAll(stale, target);
  if (c.certSans) {
    const items = c.certSans.items;
    const has = items.some((s) => (canonical(s.value) ?? s.value) === target);
    let replaced = false;
    for (const s of items) {
      if (old.has(canonical(s.value) ?? s.value)) {
        edits.push(...(has || replaced ? [] : s.rewrite(target)));
        replaced = true;
      }
    }
    if (!has && !replaced && opts.addCertSan !== false) edits.push(...c.certSans.append(target));
  }
  return disjoint(edits);
}

/** Applies edits to texts (for the CLI and tests): edits of one file are applied from the end. */
export function applyEdits(texts: Map<string, string>, edits: TextEdit[]): Map<string, string> {
  const out = new Map(texts);
  const byUri = new Map<string, TextEdit[]>();
  for (const e of edits) byUri.set(e.uri, [...(byUri.get(e.uri) ?? []), e]);
  for (const [uri, list] of byUri) {
    let text = out.get(uri);
    if (text === undefined) throw new Error(`edit for unknown file ${uri}`);
    for (const e of [...list].sort((a, b) => b.span.start - a.span.start)) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
    out.set(uri, text);
  }
  return out;
}
