// keepalived holds the VIP where no kube-vip runs (Metal3's clusters): each address of a
// `virtual_ipaddress { … }` block of keepalived.conf is a VIP place (`10.0.0.5/24 dev eth0` → 10.0.0.5).
import { derive, textSite } from '../yaml/sites';
import type { SourceText } from '../yaml/source';
import type { VipPlace } from './types';

export function looksLikeKeepalived(path: string | undefined, content: string): boolean {
  return (path !== undefined && /keepalived[^/]*\.conf$/.test(path)) || /\bvirtual_ipaddress\s*\{/.test(content);
}

const OPEN = /\bvirtual_ipaddress\s*\{/g;
/** An address, or a whole template (`{{ HOST }}`, `${HOST}`), at the start of a line of the block. */
const ADDRESS = /^[ \t]*(\$\{[^}]*\}|\{\{(?:[^}]|\}(?!\}))*\}\}|[^\s/#!{}]+)/;

export function keepalivedPlaces(text: SourceText, where: string): VipPlace[] {
  const places: VipPlace[] = [];
  const t = text.text;
  for (const open of t.matchAll(OPEN)) {
    // The block's lines, up to the one that closes it (`}` first on a line).
    let at = open.index! + open[0].length;
    while (at < t.length) {
      const eol = t.slice(at).search(/\r\n|\r|\n/);
      const line = eol < 0 ? t.slice(at) : t.slice(at, at + eol);
      if (/^\s*\}/.test(line)) break;
      const m = ADDRESS.exec(line);
      if (m) {
        const start = at + m[0].length - m[1]!.length;
        places.push(derive(textSite(text, start, start + m[1]!.length), { role: 'keepalived-vip' as const, label: `keepalived virtual_ipaddress (${where})` }));
      }
      if (eol < 0) break;
      at += eol + (t.startsWith('\r\n', at + eol) ? 2 : 1);
    }
  }
  return places;
}
