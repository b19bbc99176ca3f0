// The kube-vip cloud provider's address arithmetic (kube-vip-cloud-provider pkg/ipam): one ConfigMap value
// (`cidr-*`/`range-*`) as the provider parses it, with its error texts, and what it hands out from it.
// Like RangeSet, nothing here enumerates addresses.
import { type Addr, type Family, formatAddr, parseAddr, prefixBounds } from './addr';
import { parseCidr } from './entry';
import { type Range, RangeSet } from './range-set';

export interface ProviderEntry {
  text: string;
  /** Offset of the entry in the value (the provider splits on every comma and trims nothing). */
  start: number;
  /** The provider's own error for this entry. */
  error?: string;
  family?: Family;
  first?: bigint;
  last?: bigint;
}

export interface ProviderPool {
  /** The value holds a `/` anywhere: CIDR list (even under a `range-` key), else a range list; `0.0.0.0/32` is DHCP. */
  mode: 'cidr' | 'range' | 'dhcp';
  entries: ProviderEntry[];
  /** A value-level error (`pool is not specified`). */
  error?: string;
  /** Candidate addresses per family: the merged entries, CIDR ends dropped with `skip-end-ips-in-cidr`. */
  sets: RangeSet[];
}

const DHCP = '0.0.0.0/32';

function parseRangeEntry(text: string): Omit<ProviderEntry, 'text' | 'start'> {
  const sides = text.split('-');
  if (sides.length !== 2) return { error: `unable to parse IP range [${text}]` };
  const from = parseAddr(sides[0]!);
  if (!from.ok) return { error: from.error };
  const to = parseAddr(sides[1]!);
  if (!to.ok) return { error: to.error };
  // netipx refuses a range with mixed families or from > to, naming it with both ends.
  if (from.value.family !== to.value.family || from.value.value > to.value.value)
    return { error: `AddRange(${formatAddr(from.value)}-${formatAddr(to.value)})` };
  return { family: from.value.family, first: from.value.value, last: to.value.value };
}

function parseCidrEntry(text: string): Omit<ProviderEntry, 'text' | 'start'> {
  const c = parseCidr(text);
  if (!c.ok) return { error: c.error };
  return { family: c.value.family, ...prefixBounds({ family: c.value.family, value: c.value.addr }, c.value.bits) };
}

/** The largest aligned prefixes covering [a, b], as netipx `IPRange.Prefixes` splits a range. */
export function prefixesOf(a: bigint, b: bigint): Range[] {
  const out: Range[] = [];
  while (a <= b) {
    let size = 1n;
    while (a % (size * 2n) === 0n && a + size * 2n - 1n <= b) size *= 2n;
    out.push([a, a + size - 1n]);
    a += size;
  }
  return out;
}

/** `skip-end-ips-in-cidr`: first and last address of every prefix of the merged IPv4 set, except /31 and /32. */
function skipEnds(set: RangeSet): RangeSet {
  if (set.family !== 4) return set;
  return RangeSet.of(
    4,
    set.ranges.flatMap(([a, b]) => prefixesOf(a, b).map(([p, q]): Range => (q - p < 2n ? [p, q] : [p + 1n, q - 1n]))),
  );
}

export function providerPool(value: string, skipEndIpsInCidr = false): ProviderPool {
  if (value === DHCP) return { mode: 'dhcp', entries: [{ text: value, start: 0 }], sets: [] };
  const mode = value.includes('/') ? 'cidr' : 'range';
  if (value === '') return { mode, entries: [], error: 'could not discover address: pool is not specified', sets: [] };
  const entries: ProviderEntry[] = [];
  let start = 0;
  for (const text of value.split(',')) {
    entries.push({ text, start, ...(mode === 'cidr' ? parseCidrEntry(text) : parseRangeEntry(text)) });
    start += text.length + 1;
  }
  const sets = ([4, 6] as const).map((family) => {
    const set = RangeSet.of(
      family,
      entries.flatMap((e) => (e.family === family ? [[e.first!, e.last!] as const] : [])),
    );
    return mode === 'cidr' && skipEndIpsInCidr ? skipEnds(set) : set;
  });
  return { mode, entries, sets: sets.filter((s) => !s.isEmpty) };
}

/** The provider never hands out an IPv4 address whose last octet is 0 or 255, in ranges and CIDRs alike. */
export function endsIn0Or255(a: Addr): boolean {
  const octet = a.value & 255n;
  return a.family === 4 && (octet === 0n || octet === 255n);
}

/** How many IPv4 addresses of [a, b] end in .0 or .255, by arithmetic. */
function dotZeroOr255(a: bigint, b: bigint): bigint {
  const upTo = (n: bigint) => (n < 0n ? 0n : n / 256n + 1n + (n + 1n) / 256n);
  return upTo(b) - upTo(a - 1n);
}

/** Addresses of the set the provider can hand out. */
export function handOutCount(set: RangeSet): bigint {
  let n = set.size();
  if (set.family === 4) for (const [a, b] of set.ranges) n -= dotZeroOr255(a, b);
  return n;
}

/** Whether the provider could hand out `a` from the pool (DHCP pools hand out only 0.0.0.0). */
export function handsOut(pool: ProviderPool, a: Addr): boolean {
  if (pool.mode === 'dhcp') return a.family === 4 && a.value === 0n;
  return !endsIn0Or255(a) && pool.sets.some((s) => s.family === a.family && s.contains(a.value));
}

/** The provider's next address of `set` not in `used`: lowest first, or highest with `search-order: desc`. */
export function nextFree(set: RangeSet, used: RangeSet, descending = false): bigint | undefined {
  const free = set.subtract(used).ranges;
  const skip = (v: bigint) => set.family === 4 && (v % 256n === 0n || v % 256n === 255n);
  for (let i = 0; i < free.length; i++) {
    const [a, b] = free[descending ? free.length - 1 - i : i]!;
    let v = descending ? b : a;
    while (v >= a && v <= b && skip(v)) v += descending ? -1n : 1n;
    if (v >= a && v <= b) return v;
  }
  return undefined;
}
