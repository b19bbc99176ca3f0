// keepalived holds the VIP where no kube-vip runs (Metal3's clusters): each address of a
// `virtual_ipaddress { … }` block of keepalived.conf is a VIP place (`10.0.0.5/24 dev eth0` → 10.0.0.5).
import { derive, textSite } from '../yaml/sites';
import type { SourceText } from '../yaml/source';
import type { VipPlace } from './types';

export function looksLikeKeepalived(path: string | undefined, content: string): boolean {
  return (path !== undefined && /keepalived[^/]*\.conf$/.test(path)) || /\bvirtual_ipaddress\s*\{/.test(content);
}

const OPEN = /\bvirtual_ipaddress\s*\{/g;
const BREAK = /\r\n|\r|\n/g;
/** An address, or a whole template (`{{ HOST }}`, `${HOST}`), at the start of a line of the block. */
const ADDRESS = /^[ \t]*(\$\{[^}]*\}|\{\{(?:[^}]|\}(?!\}))*\}\}|[^\s/#!{}]+)/;

export function keepalivedPlaces(text: SourceText, where: string): VipPlace[] {
  const places: VipPlace[] = [];
  const t = text.text;
  let scanned = 0; // (blocks opened inside one already read are not read again)
  for (const open of t.matchAll(OPEN)) {
    if (open.index! < scanned) continue;
    // The block's lines, up to the one that closes it (`}` first on a line).
    let at = open.index! + open[0].length;
    while (at < t.length) {
      BREAK.lastIndex = at;
      const brk = BREAK.exec(t);
      const eol = brk ? brk.index - at : -1;
      const line = eol < 0 ? t.slice(at) : t.slice(at, at + eol);
      // (a `{` other than a template's: the block was never closed)
      if (/^\s*\}/.test(line) || line.replace(/\$\{[^}]*\}|\{\{.*?\}\}/g, '').includes('{')) break;
      const m = ADDRESS.exec(line);
      if (m) {
        const start = at + m[0].length - m[1]!.length;
        places.push(derive(textSite(text, start, start + m[1]!.length), { role: 'keepalived-vip' as const, label: `keepalived virtual_ipaddress (${where})` }));
      }
      if (eol < 0) {
        at = t.length;
        break;
      }
      at += eol + brk![0].length;
    }
    scanned = at;
  }
  return places;
}
