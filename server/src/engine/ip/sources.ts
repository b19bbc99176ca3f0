// Pool semantics of the other address sources, as PoolAnalysis (the shape every view, rule and the
// ranking read): CAIP's prefix pools (v1.1: whole IPv6 sub-prefixes, webhook messages in CAIP's
// words), Metal3's IPPool `pools[]` (ip-address-manager's getIPAddress), and the empty analysis of
// a pool whose ranges live in an external IPAM. Ranges only: nothing is enumerated.
import { type Family, BITS, formatAddr, parseAddr, prefixBounds } from './addr';
import { INVALID_ENTRY, parseCidr, parseEntry } from './entry';
import type { PoolAnalysis, PoolProblem } from './pool';
import { RangeSet } from './range-set';

const base = (family: Family | undefined, errors: PoolProblem[]): PoolAnalysis => {
  const empty = RangeSet.empty(family ?? 4);
  return { family, errors, warnings: [], addresses: empty, excluded: empty, allocatable: empty, total: 0n };
};

/** A pool whose ranges are kept by Infoblox, NetBox, Nutanix or UniFi: nothing to compute here. */
export function externalAnalysis(): PoolAnalysis {
  return base(undefined, []);
}

export interface PrefixPoolSpec {
  prefixes: string[];
  /** Default 64 (the CRD's default). */
  allocationPrefixLength?: number;
  gateway?: string;
  excludedPrefixes: string[];
}

/**
 * `InClusterPrefixPool` / `GlobalInClusterPrefixPool`: the webhook's checks in its order, then the
 * allocatable set as whole sub-prefixes of `allocationPrefixLength` that touch no excluded entry
 * (counted as block indices, so a /48 at /64 is 65,536 blocks in one range). `total` counts sub-prefixes.
 */
export function analyzePrefixPool(spec: PrefixPoolSpec): PoolAnalysis {
  const errors: PoolProblem[] = [];
  const length = spec.allocationPrefixLength ?? 64;
  if (!Number.isInteger(length) || length < 1 || length > 128)
    errors.push({ field: 'spec.allocationPrefixLength', value: String(length), message: 'allocationPrefixLength must be between 1 and 128' });
  if (spec.prefixes.length === 0) errors.push({ field: 'spec.prefixes', value: '[]', message: 'prefixes is required' });
  const blocks: [bigint, bigint][] = [];
  const shift = BigInt(128 - Math.min(Math.max(length, 1), 128));
  spec.prefixes.forEach((text, index) => {
    const c = parseCidr(text);
    const problem = (message: string) => errors.push({ field: 'spec.prefixes', index, value: text, message });
    if (!c.ok) return problem('provided entry is not a valid IPv6 CIDR');
    if (c.value.family !== 6) return problem('only IPv6 prefixes are supported');
    const { first, last } = prefixBounds({ family: 6, value: c.value.addr }, c.value.bits);
    if (first !== c.value.addr) return problem('CIDR must be network-aligned');
    if (c.value.bits > length) return problem(`CIDR prefix length must be <= allocationPrefixLength (${length})`);
    blocks.push([first >> shift, last >> shift]);
  });
  if (spec.gateway) {
    const g = parseAddr(spec.gateway);
    if (!g.ok || g.value.family !== 6) errors.push({ field: 'spec.gateway', value: spec.gateway, message: 'provided gateway must be IPv6' });
  }
  const excludedBlocks: [bigint, bigint][] = [];
  const excludedRanges: [bigint, bigint][] = [];
  spec.excludedPrefixes.forEach((text, index) => {
    const e = parseEntry(text);
    if (!e.ok) errors.push({ field: 'spec.excludedPrefixes', index, value: text, message: INVALID_ENTRY });
    else if (e.value.family !== 6) errors.push({ field: 'spec.excludedPrefixes', index, value: text, message: 'only IPv6 excluded prefixes are supported' });
    else {
      excludedBlocks.push([e.value.first >> shift, e.value.last >> shift]);
      excludedRanges.push([e.value.first, e.value.last]);
    }
  });
  const free = RangeSet.of(6, blocks).subtract(RangeSet.of(6, excludedBlocks));
  const toAddresses = (set: RangeSet) =>
    RangeSet.of(
      6,
      set.ranges.map(([a, b]) => [a << shift, ((b + 1n) << shift) - 1n] as const),
    );
  const addresses = toAddresses(RangeSet.of(6, blocks));
  const allocatable = toAddresses(free);
  return { ...base(6, errors), addresses, excluded: RangeSet.of(6, excludedRanges), allocatable, total: free.size() };
}

export interface Metal3Entry {
  start?: string;
  end?: string;
  subnet?: string;
}

/**
 * Metal3's IPPool: each `pools[]` entry hands out `start`…`end` (bounded by `subnet` when `end` is
 * missing), or, with `subnet` alone, the subnet's addresses after its first (the last one included:
 * ip-address-manager only checks that an address lies in the subnet). The gateway is no exclusion.
 */
export function analyzeMetal3Pool(entries: Metal3Entry[], gateway?: string): PoolAnalysis {
  const errors: PoolProblem[] = [];
  const ranges: { family: Family; first: bigint; last: bigint }[] = [];
  let subnet: PoolAnalysis['subnet'];
  entries.forEach((e, index) => {
    const problem = (value: string, message: string) => errors.push({ field: 'spec.pools', index, value, message });
    if (!e.start && !e.subnet) return problem('{}', 'Either Start or Subnet is required for ipAddress');
    const cidr = e.subnet ? parseCidr(e.subnet) : undefined;
    if (cidr && !cidr.ok) return problem(e.subnet!, INVALID_ENTRY);
    const net = cidr?.ok ? { family: cidr.value.family, ...prefixBounds({ family: cidr.value.family, value: cidr.value.addr }, cidr.value.bits) } : undefined;
    if (net && cidr?.ok) subnet ??= { first: net.first, last: net.last, prefix: cidr.value.bits };
    if (!e.start) return void ranges.push({ family: net!.family, first: net!.first + 1n, last: net!.last });
    const start = parseAddr(e.start);
    if (!start.ok) return problem(e.start, INVALID_ENTRY);
    const end = e.end ? parseAddr(e.end) : undefined;
    if (end && !end.ok) return problem(e.end!, INVALID_ENTRY);
    const last = end?.ok ? end.value.value : net && net.family === start.value.family ? net.last : start.value.value;
    if (end?.ok && (end.value.family !== start.value.family || last < start.value.value)) return problem(`${e.start}-${e.end}`, INVALID_ENTRY);
    const first = net && net.family === start.value.family && start.value.value < net.first ? net.first : start.value.value;
    ranges.push({ family: start.value.family, first, last: net && net.family === start.value.family && last > net.last ? net.last : last });
  });
  const family = ranges[0]?.family;
  const fam = family ?? 4;
  const addresses = RangeSet.of(
    fam,
    ranges.filter((r) => r.family === fam).map((r) => [r.first, r.last] as const),
  );
  const g = gateway ? parseAddr(gateway) : undefined;
  const analysis: PoolAnalysis = { ...base(family, errors), addresses, allocatable: addresses, total: addresses.size(), subnet };
  if (g?.ok && g.value.family === fam) analysis.gateway = g.value;
  return analysis;
}

/** "fd00::/64" for a prefix pool's sub-prefix at `address`. */
export function subPrefix(address: string, length: number): string {
  const a = parseAddr(address);
  return a.ok ? `${formatAddr({ family: a.value.family, value: prefixBounds(a.value, Math.min(length, BITS[a.value.family])).first })}/${length}` : address;
}
