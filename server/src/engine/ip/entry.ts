// Pool entry syntax of the in-cluster IPAM provider (CAIP internal/poolutil/pool.go): `A-B`, else CIDR, else a single IP.
import { type Family, type Parsed, BITS, parseAddr, prefixBounds } from './addr';

export interface EntryRange {
  family: Family;
  first: bigint;
  last: bigint;
}

export const INVALID_ENTRY = 'provided address is not a valid IP, range, nor CIDR';

/** Parses `10.0.0.5/24` like Go `netip.ParsePrefix`, with its error texts: decimal bits, no sign, no leading zero, no zone. */
export function parseCidr(text: string): Parsed<{ family: Family; addr: bigint; bits: number }> {
  const fail = (why: string) => ({ ok: false as const, error: `netip.ParsePrefix(${JSON.stringify(text)}): ${why}` });
  const slash = text.lastIndexOf('/');
  if (slash < 0) return fail("no '/'");
  const ip = parseAddr(text.slice(0, slash));
  if (!ip.ok) return fail(ip.error);
  if (text.slice(0, slash).includes('%')) return fail('IPv6 zones cannot be present in a prefix');
  const bitsText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,17})$/.test(bitsText)) return fail(`bad bits after slash: ${JSON.stringify(bitsText)}`);
  if (Number(bitsText) > BITS[ip.value.family]) return fail('prefix length out of range');
  return { ok: true, value: { family: ip.value.family, addr: ip.value.value, bits: Number(bitsText) } };
}

export function parseEntry(text: string): Parsed<EntryRange> {
  const bad: Parsed<EntryRange> = { ok: false, error: INVALID_ENTRY };
  const dash = text.indexOf('-');
  if (dash >= 0) {
    const from = parseAddr(text.slice(0, dash));
    const to = parseAddr(text.slice(dash + 1));
    if (!from.ok || !to.ok) return bad;
    if (from.value.family !== to.value.family || from.value.value > to.value.value) return bad;
    return { ok: true, value: { family: from.value.family, first: from.value.value, last: to.value.value } };
  }
  if (text.includes('/')) {
    const c = parseCidr(text);
    if (!c.ok) return bad;
    const { first, last } = prefixBounds({ family: c.value.family, value: c.value.addr }, c.value.bits);
    return { ok: true, value: { family: c.value.family, first, last } };
  }
  const a = parseAddr(text);
  if (!a.ok) return bad;
  return { ok: true, value: { family: a.value.family, first: a.value.value, last: a.value.value } };
}
