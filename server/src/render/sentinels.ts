// Sentinels: every IPv4 literal (and, in values files, every empty quoted string) of a renderer's
// input is replaced by a unique address of 240.0.0.0/4, which no real input uses. Rendering those
// copies tells which source characters produced which rendered value: what the renderer did,
// never a guess from template text. The sentinels are addresses, so a template that formats or
// parses the value (host:port, a CIDR) still renders.
import type { Location } from '../engine/index';

export interface Sentinel {
  /** The address written in place of the source text. */
  value: string;
  /** The source text it replaced ('' for an empty string). */
  orig: string;
  /** Where `orig` is in the source file (an empty string: the empty span between its quotes). */
  source: Location;
}

const IPV4 = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\w.])/g;
const EMPTY = /(?<=(?::|^[ \t]*-)[ \t]+)(""|'')(?=[ \t]*(?:#[^\r\n]*)?\r?$)/gm;
const SENTINEL = /\b240\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g;

export class Sentinels {
  private readonly byValue = new Map<string, Sentinel>();
  private next = 1;

  /** `text` with its literals replaced; `empties` also replaces empty quoted values (values files). */
  substitute(uri: string, text: string, empties = false): string {
    const hits: { start: number; end: number; orig: string; quote: number }[] = [];
    for (const m of text.matchAll(IPV4)) {
      if (m.slice(1, 5).every((o) => Number(o) <= 255)) hits.push({ start: m.index!, end: m.index! + m[0].length, orig: m[0], quote: 0 });
    }
    if (empties) for (const m of text.matchAll(EMPTY)) hits.push({ start: m.index!, end: m.index! + 2, orig: '', quote: 1 });
    hits.sort((a, b) => a.start - b.start);
    let out = '';
    let at = 0;
    for (const h of hits) {
      if (this.next >= 1 << 24) break; // 16 million literals: the rest stays unmapped
      const i = this.next++;
      const value = `240.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const start = h.start + h.quote;
      this.byValue.set(value, { value, orig: h.orig, source: { uri, span: { start, end: start + h.orig.length } } });
      const q = h.quote ? text[h.start]! : '';
      out += text.slice(at, h.start) + q + value + q;
      at = h.end;
    }
    return out + text.slice(at);
  }

  /** The one sentinel inside `value` with the text around it, or undefined when none or several. */
  find(value: string): { sentinel: Sentinel; prefix: string; suffix: string } | undefined {
    const found = [...value.matchAll(SENTINEL)].filter((m) => this.byValue.has(m[0]));
    if (found.length !== 1) return undefined;
    const m = found[0]!;
    return { sentinel: this.byValue.get(m[0])!, prefix: value.slice(0, m.index), suffix: value.slice(m.index! + m[0].length) };
  }
}
