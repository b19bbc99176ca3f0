// InClusterIPPool / GlobalInClusterIPPool semantics, exactly as the in-cluster IPAM provider (CAIP)
// computes them (CAIP internal/webhooks/inclusterippool.go, internal/poolutil/pool.go): webhook validation in CAIP's order and words, the allocatable set,
// status counts and first-fit allocation, all on BigInt ranges.
import { type Addr, type Family, BITS, formatAddr, parseAddr, prefixBounds } from './addr';
import { INVALID_ENTRY, parseEntry } from './entry';
import { RangeSet } from './range-set';

export interface PoolSpec {
  addresses: string[];
  /** Undefined when the key is missing (the CRD requires it; Go reads it as 0). */
  prefix?: number;
  gateway?: string;
  excludedAddresses?: string[];
  allocateReservedIPAddresses?: boolean;
}

export type PoolField = 'spec.addresses' | 'spec.prefix' | 'spec.gateway' | 'spec.excludedAddresses';

export interface PoolProblem {
  field: PoolField;
  /** Index into the list field, when the problem is about one entry. */
  index?: number;
  value: string;
  message: string;
}

export type ReservedReason = 'network' | 'broadcast' | 'anycast' | 'gateway' | 'excluded';

export interface PoolAnalysis {
  family?: Family;
  /** What the provider's webhook (or the CRD schema) rejects, in CAIP's order and words. */
  errors: PoolProblem[];
  /** What CAIP accepts but is almost certainly a mistake. */
  warnings: PoolProblem[];
  /** Union of `addresses` (valid entries of the pool's family). */
  addresses: RangeSet;
  excluded: RangeSet;
  /** Inferred subnet: lowest address with `prefix` applied. */
  subnet?: { first: bigint; last: bigint; prefix: number };
  gateway?: Addr;
  allocatable: RangeSet;
  /** Size of the allocatable set (uncapped). */
  total: bigint;
}

export const MAX_INT64 = (1n << 63n) - 1n;

function entries(list: string[] | undefined, field: PoolField, errors: PoolProblem[]) {
  const out: { index: number; text: string; family: Family; first: bigint; last: bigint }[] = [];
  (list ?? []).forEach((text, index) => {
    const r = parseEntry(text);
    if (r.ok) out.push({ index, text, ...r.value });
    else errors.push({ field, index, value: text, message: INVALID_ENTRY });
  });
  return out;
}

function families(list: { family: Family }[]): Family[] {
  return [...new Set(list.map((e) => e.family))];
}

export function analyzePool(spec: PoolSpec): PoolAnalysis {
  const errors: PoolProblem[] = [];
  const warnings: PoolProblem[] = [];
  const addrs = spec.addresses ?? [];
  // `prefix` is an integer field: 2.5 or 1e300 (beyond any integer type) never reaches the webhook.
  const wholePrefix = spec.prefix === undefined || Number.isSafeInteger(spec.prefix);
  const prefix = wholePrefix ? (spec.prefix ?? 0) : 0;

  if (spec.prefix === undefined) errors.push({ field: 'spec.prefix', value: '', message: 'Required value' });
  if (!wholePrefix)
    errors.push({
      field: 'spec.prefix',
      value: String(spec.prefix),
      message: `${spec.prefix} is not a prefix length: the API server accepts only a whole number (0 to 128)`,
    });
  if (addrs.length === 0) errors.push({ field: 'spec.addresses', value: '[]', message: 'addresses is required' });
  if (prefix < 0) errors.push({ field: 'spec.prefix', value: JSON.stringify(addrs), message: 'a valid prefix is required' });
  const valid = entries(addrs, 'spec.addresses', errors);
  const fams = families(valid);
  if (fams.length > 1) errors.push({ field: 'spec.addresses', value: JSON.stringify(addrs), message: 'provided addresses are of mixed IP families' });
  const family: Family | undefined = valid[0]?.family;

  let gateway: Addr | undefined;
  if (spec.gateway !== undefined && spec.gateway !== '') {
    const g = parseAddr(spec.gateway);
    if (!g.ok) errors.push({ field: 'spec.gateway', value: spec.gateway, message: g.error });
    else {
      gateway = g.value;
      if (family !== undefined && fams.length === 1 && g.value.family !== family) {
        errors.push({ field: 'spec.gateway', value: spec.gateway, message: 'provided gateway and addresses are of mixed IP families' });
      }
    }
  }
  const excludedValid = entries(spec.excludedAddresses, 'spec.excludedAddresses', errors);
  const exFams = families(excludedValid);
  if (exFams.length > 1) {
    errors.push({ field: 'spec.excludedAddresses', value: JSON.stringify(spec.excludedAddresses), message: 'provided addresses are of mixed IP families' });
  } else if (exFams.length === 1 && family !== undefined && exFams[0] !== family) {
    errors.push({
      field: 'spec.excludedAddresses',
      value: JSON.stringify(spec.excludedAddresses),
      message: 'addresses and excluded addresses are of mixed IP families',
    });
  }

  const fam: Family = family ?? 4;
  const addresses = RangeSet.of(
    fam,
    valid.filter((e) => e.family === fam).map((e) => [e.first, e.last] as const),
  );
  const excluded = RangeSet.of(
    fam,
    excludedValid.filter((e) => e.family === fam).map((e) => [e.first, e.last] as const),
  );

  let subnet: PoolAnalysis['subnet'];
  const lowest = addresses.first();
  if (lowest !== undefined && prefix >= 0 && wholePrefix) {
    if (prefix > BITS[fam]) {
      if (errors.length === 0) errors.push({ field: 'spec.prefix', value: String(prefix), message: 'provided prefix is not valid' });
    } else {
      subnet = { ...prefixBounds({ family: fam, value: lowest }, prefix), prefix };
      if (errors.length === 0) {
        const sub = RangeSet.of(fam, [[subnet.first, subnet.last]]);
        for (const e of valid) {
          if (!sub.covers(RangeSet.of(fam, [[e.first, e.last]]))) {
            errors.push({ field: 'spec.addresses', index: e.index, value: e.text, message: 'provided address belongs to a different subnet than others' });
          }
        }
      }
    }
  }

  let allocatable = addresses.subtract(excluded);
  if (subnet && !spec.allocateReservedIPAddresses) {
    const reserved = fam === 4 ? [subnet.first, subnet.last] : [subnet.first];
    allocatable = allocatable.subtract(RangeSet.ofValues(fam, reserved));
  }
  if (gateway && gateway.family === fam) allocatable = allocatable.subtract(RangeSet.ofValues(fam, [gateway.value]));
  const total = allocatable.size();

  if (errors.length === 0) {
    if (gateway && subnet && (gateway.value < subnet.first || gateway.value > subnet.last)) {
      warnings.push({
        field: 'spec.gateway',
        value: spec.gateway!,
        message: `gateway ${spec.gateway} is outside the pool's subnet ${formatAddr({ family: fam, value: subnet.first })}/${subnet.prefix} (the provider does not check this)`,
      });
    }
    for (const e of excludedValid) {
      if (!addresses.overlaps(RangeSet.of(fam, [[e.first, e.last]]))) {
        warnings.push({
          field: 'spec.excludedAddresses',
          index: e.index,
          value: e.text,
          message: `excluded entry ${e.text} is not in the pool's addresses: it excludes nothing`,
        });
      }
    }
    if (total === 0n) {
      const why =
        subnet && !spec.allocateReservedIPAddresses && addresses.size() <= (fam === 4 ? 2n : 1n)
          ? ` (with prefix /${prefix} its addresses are the reserved ${fam === 4 ? 'network/broadcast' : 'anycast'} addresses; set allocateReservedIPAddresses: true to use them)`
          : '';
      warnings.push({ field: 'spec.addresses', value: JSON.stringify(addrs), message: `no address of this pool can be allocated${why}` });
    }
  }
  return { family, errors, warnings, addresses, excluded, subnet, gateway, allocatable, total };
}

function toValue(a: PoolAnalysis, ip: string): bigint | undefined {
  const p = parseAddr(ip);
  return p.ok && p.value.family === (a.family ?? 4) && a.family !== undefined ? p.value.value : undefined;
}

export function isAllocatable(a: PoolAnalysis, ip: string): boolean {
  const v = toValue(a, ip);
  return v !== undefined && a.allocatable.contains(v);
}

/** Whether `ip` is listed in the pool's `addresses` (allocatable or not). */
export function inPoolAddresses(a: PoolAnalysis, ip: string): boolean {
  const v = toValue(a, ip);
  return v !== undefined && a.addresses.contains(v);
}

/** Why the provider would never hand out `ip` from this pool, if it would not. */
export function reservedReason(a: PoolAnalysis, spec: PoolSpec, ip: string): ReservedReason | undefined {
  const v = toValue(a, ip);
  if (v === undefined) return undefined;
  if (a.gateway && a.gateway.value === v) return 'gateway';
  if (a.subnet && !spec.allocateReservedIPAddresses) {
    if (v === a.subnet.first) return a.family === 6 ? 'anycast' : 'network';
    if (a.family === 4 && v === a.subnet.last) return 'broadcast';
  }
  if (a.excluded.contains(v) && a.addresses.contains(v)) return 'excluded';
  return undefined;
}

/** Reserved single addresses that lie in the pool's addresses (for views). */
export function reservedAddresses(a: PoolAnalysis, spec: PoolSpec): { address: string; reason: ReservedReason }[] {
  if (a.family === undefined) return [];
  const fam = a.family;
  const out: { address: string; reason: ReservedReason }[] = [];
  const add = (v: bigint, reason: ReservedReason) => {
    if (a.addresses.contains(v)) out.push({ address: formatAddr({ family: fam, value: v }), reason });
  };
  if (a.subnet && !spec.allocateReservedIPAddresses) {
    add(a.subnet.first, fam === 6 ? 'anycast' : 'network');
    if (fam === 4 && a.subnet.last !== a.subnet.first) add(a.subnet.last, 'broadcast');
  }
  if (a.gateway) add(a.gateway.value, 'gateway');
  return out;
}

/** Addresses in use as a RangeSet. Build it once per inventory change and reuse it for searches. */
export function usedSet(family: Family, inUse: Iterable<string>): RangeSet {
  if (family === 4) {
    // IPv4 fits in a double: sort numbers (a typed-array sort), not BigInts.
    const nums: number[] = [];
    for (const ip of inUse) {
      const p = parseAddr(ip);
      if (p.ok && p.value.family === 4) nums.push(Number(p.value.value));
    }
    const sorted = Float64Array.from(nums).sort();
    const ranges: [bigint, bigint][] = [];
    let i = 0;
    while (i < sorted.length) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1]! <= sorted[j]! + 1) j++;
      ranges.push([BigInt(sorted[i]!), BigInt(sorted[j]!)]);
      i = j + 1;
    }
    return RangeSet.of(4, ranges);
  }
  const values: bigint[] = [];
  for (const ip of inUse) {
    const p = parseAddr(ip);
    if (p.ok && p.value.family === 6) values.push(p.value.value);
  }
  return RangeSet.ofValues(6, values);
}

const asUsed = (a: PoolAnalysis, inUse: Iterable<string> | RangeSet) => (inUse instanceof RangeSet ? inUse : usedSet(a.family ?? 4, inUse));

/** Allocatable addresses not in `inUse`. */
export function freeSet(a: PoolAnalysis, inUse: Iterable<string> | RangeSet): RangeSet {
  return a.allocatable.subtract(asUsed(a, inUse));
}

/** CAIP's first-fit: the lowest allocatable address not in use; undefined when the pool is exhausted. */
export function findFree(a: PoolAnalysis, inUse: Iterable<string> | RangeSet): string | undefined {
  const first = freeSet(a, inUse).first();
  return first === undefined || a.family === undefined ? undefined : formatAddr({ family: a.family, value: first });
}

/** The lowest `n` free addresses (for completion). */
export function nextFree(a: PoolAnalysis, inUse: Iterable<string> | RangeSet, n: number): string[] {
  if (a.family === undefined) return [];
  const out: string[] = [];
  for (const [first, last] of freeSet(a, inUse).ranges) {
    for (let v = first; v <= last && out.length < n; v++) out.push(formatAddr({ family: a.family, value: v }));
    if (out.length >= n) break;
  }
  return out;
}

export interface PoolStatus {
  total: bigint;
  used: number;
  free: bigint;
  outOfRange: bigint;
}

/**
 * Total, used, free and out of range, as `status.ipAddresses` names them. Used counts the distinct
 * addresses in use that the pool can allocate: an address outside that set — an excluded address, the
 * gateway, one outside the ranges, where a VIP can be written by hand — is out of range, never used, so
 * that free (total − used) is what is left to hand out and agrees with the first free address.
 * (CAIP's own status counts every IPAddress object as used; its IPAddresses lie outside only when the
 * pool was changed after they were made.)
 */
export function poolStatus(a: PoolAnalysis, usedAddresses: string[]): PoolStatus {
  const cap = (n: bigint) => (n > MAX_INT64 ? MAX_INT64 : n);
  const total = cap(a.total);
  const distinct = usedSet(a.family ?? 4, usedAddresses);
  const used = distinct.intersect(a.allocatable).size();
  const outOfRange = distinct.size() - used;
  return { total, used: Number(used), free: total - used, outOfRange: cap(outOfRange) };
}
