// IP addresses as (family, BigInt) with Go `net/netip` parsing strictness: the in-cluster IPAM
// provider parses with netip, so an address it rejects must be rejected here with the same words.
import ipaddr from 'ipaddr.js';
import { bounded } from '../memo';

export type Family = 4 | 6;

export interface Addr {
  family: Family;
  value: bigint;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const BITS: Record<Family, number> = { 4: 32, 6: 128 };

export function maxValue(family: Family): bigint {
  return (1n << BigInt(BITS[family])) - 1n;
}

/** Go's parseAddrError text; `at` is the rest of the input from where parsing stopped, when Go names it. */
function fail<T>(text: string, why: string, at?: string): Parsed<T> {
  return { ok: false, error: `ParseAddr(${JSON.stringify(text)}): ${why}${at === undefined ? '' : ` (at ${JSON.stringify(at)})`}` };
}

/** Go's IPv4 rules (`parseIPv4Fields`, same checks in the same order): four decimal fields, each 0-255, no leading zeros. */
function parseV4(text: string, whole: string): Parsed<bigint> {
  let value = 0;
  let fields = 0;
  let digits = 0;
  let field = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && field === 0) return fail(whole, 'IPv4 field has octet with leading zero');
      field = field * 10 + (c - 48);
      digits++;
      if (field > 255) return fail(whole, 'IPv4 field has value >255');
    } else if (c === 46) {
      if (i === 0 || i === text.length - 1 || text.charCodeAt(i - 1) === 46) return fail(whole, 'IPv4 field must have at least one digit', text.slice(i));
      if (fields === 3) return fail(whole, 'IPv4 address too long');
      value = value * 256 + field;
      fields++;
      digits = 0;
      field = 0;
    } else return fail(whole, 'unexpected character', text.slice(i));
  }
  if (fields < 3) return fail(whole, 'IPv4 address too short');
  return { ok: true, value: BigInt(value * 256 + field) };
}

function parseV6(text: string, whole: string): Parsed<bigint> {
  // ipaddr.js is lenient in places where Go is not (e.g. zones, IPv4 tails with leading zeros):
  // check the grammar first, then let ipaddr.js do the group arithmetic.
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return fail(whole, 'unexpected character');
  if ((text.match(/::/g) ?? []).length > 1) return fail(whole, 'multiple :: in address');
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseV4(tail, whole);
    if (!v4.ok) return v4;
  }
  for (const group of text.slice(0, tail.includes('.') ? lastColon : undefined).split(':')) {
    if (group.length > 4) return fail(whole, 'IPv6 field has value >=2^16');
    if (group.includes('.')) return fail(whole, 'unexpected character');
  }
  if (!ipaddr.IPv6.isValid(text)) return fail(whole, 'unable to parse IP');
  let value = 0n;
  for (const part of ipaddr.IPv6.parse(text).parts) value = (value << 16n) | BigInt(part);
  return { ok: true, value };
}

/** Parses like Go `netip.ParseAddr`; a zone (`%eth0`) is accepted only when `allowZone`, and dropped. */
export function parseAddr(text: string, allowZone = true): Parsed<Addr> {
  if (text === '') return fail(text, 'unable to parse IP');
  const colon = text.includes(':');
  if (!colon) {
    if (!text.includes('.')) return fail(text, 'unable to parse IP');
    const v = parseV4(text, text);
    return v.ok ? { ok: true, value: { family: 4, value: v.value } } : v;
  }
  let body = text;
  const pct = text.indexOf('%');
  if (pct >= 0) {
    if (!allowZone) return fail(text, 'IPv6 zone not allowed');
    if (pct === text.length - 1) return fail(text, 'zone must be a non-empty string');
    body = text.slice(0, pct);
  }
  if (body === '') return fail(text, 'missing IPv6 address');
  const v = parseV6(body, text);
  return v.ok ? { ok: true, value: { family: 6, value: v.value } } : v;
}

/** Canonical text, as Go `Addr.String()` writes it (RFC 5952; IPv4-mapped as ::ffff:a.b.c.d). */
export function formatAddr(a: Addr): string {
  if (a.family === 4) {
    const v = Number(a.value);
    return [24, 16, 8, 0].map((s) => (v >>> s) & 255).join('.');
  }
  const parts: number[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) parts.push(Number((a.value >> s) & 0xffffn));
  if (a.value >> 32n === 0xffffn) {
    const low = a.value & 0xffffffffn;
    return '::ffff:' + formatAddr({ family: 4, value: low });
  }
  return new ipaddr.IPv6(parts).toRFC5952String();
}

/** Canonical form of an address text, or undefined when it is not an address (memoised: rules ask often). */
export const canonical: (text: string) => string | undefined = bounded(100_000, (text) => {
  const p = parseAddr(text);
  return p.ok ? formatAddr(p.value) : undefined;
});

/** First address of the prefix containing `a`. */
export function maskAddr(a: Addr, prefix: number): Addr {
  const bits = BigInt(BITS[a.family]);
  const host = bits - BigInt(prefix);
  const mask = maxValue(a.family) ^ ((1n << host) - 1n);
  return { family: a.family, value: a.value & mask };
}

/** Inclusive [first, last] of `a/prefix`. */
export function prefixBounds(a: Addr, prefix: number): { first: bigint; last: bigint } {
  const first = maskAddr(a, prefix).value;
  const host = BigInt(BITS[a.family] - prefix);
  return { first, last: first + (1n << host) - 1n };
}

export function isLoopbackOrLinkLocal(a: Addr): boolean {
  if (a.family === 4) {
    const top = Number(a.value >> 24n);
    const top16 = Number(a.value >> 16n);
    return top === 127 || top16 === 0xa9fe; // 127/8, 169.254/16
  }
  return a.value === 1n || a.value >> 118n === 0x3fan; // ::1, fe80::/10
}
