// Groups a long list of addresses into CIDR blocks, for trees: a /16 with 65,000 used addresses
// is 256 nodes of a /24 each, not 65,000 children. Blocks are cut at octet boundaries (at most 256
// children per level), at the first boundary where the addresses fall into more than one block, so
// no level is a single pointless node. A block of at most `max` addresses lists them.
import { BITS, type Family, formatAddr, parseAddr } from '../ip/addr';

export interface AddressBlock<T> {
  /** "10.60.5.0/24" */
  block: string;
  count: number;
  /** Either sub-blocks or, in a block of at most `max` addresses, the items themselves. */
  blocks?: AddressBlock<T>[];
  items?: T[];
}

type Keyed<T> = { item: T; family: Family; value: bigint };

function keyed<T extends { address: string }>(items: T[]): { sorted: Keyed<T>[]; bad: T[] } {
  const sorted: Keyed<T>[] = [];
  const bad: T[] = [];
  for (const item of items) {
    const p = parseAddr(item.address);
    if (p.ok) sorted.push({ item, family: p.value.family, value: p.value.value });
    else bad.push(item);
  }
  sorted.sort((a, b) => a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { sorted, bad };
}

/**
 * The blocks of `items` (any order), or undefined when there are at most `max` of them (a flat
 * list is best) or they are not all addresses of one family (nothing sensible to group by).
 */
export function groupAddresses<T extends { address: string }>(items: T[], max = 256): AddressBlock<T>[] | undefined {
  if (items.length <= max) return undefined;
  const { sorted, bad } = keyed(items);
  if (bad.length > 0 || sorted[0]!.family !== sorted.at(-1)!.family) return undefined;
  return split(sorted, sorted[0]!.family, 0, max);
}

function split<T>(sorted: Keyed<T>[], family: Family, parentPrefix: number, max: number): AddressBlock<T>[] {
  const bits = BITS[family];
  let prefix = parentPrefix;
  let runs: Keyed<T>[][] = [sorted];
  while (runs.length === 1 && prefix < bits) {
    prefix = Math.min(prefix + 8, bits);
    runs = runsOf(sorted, BigInt(bits - prefix));
  }
  return runs.map((run) => {
    const network = (run[0]!.value >> BigInt(bits - prefix)) << BigInt(bits - prefix);
    const block: AddressBlock<T> = { block: `${formatAddr({ family, value: network })}/${prefix}`, count: run.length };
    if (run.length <= max || prefix >= bits) block.items = run.map((k) => k.item);
    else block.blocks = split(run, family, prefix, max);
    return block;
  });
}

/** The blocks without their contents: what a tree shows before a block is expanded. */
export function shallow<T>(blocks: AddressBlock<T>[]): AddressBlock<T>[] {
  return blocks.map((b) => ({ block: b.block, count: b.count }));
}

/** The block labelled `label` at any depth. */
export function findBlock<T>(blocks: AddressBlock<T>[], label: string): AddressBlock<T> | undefined {
  for (const b of blocks) {
    if (b.block === label) return b;
    const inner = b.blocks && findBlock(b.blocks, label);
    if (inner) return inner;
  }
  return undefined;
}

/** Consecutive runs of sorted items with the same value above the low `hostBits`. */
function runsOf<T>(sorted: Keyed<T>[], hostBits: bigint): Keyed<T>[][] {
  const runs: Keyed<T>[][] = [];
  let current: bigint | undefined;
  for (const k of sorted) {
    const net = k.value >> hostBits;
    if (net !== current) {
      runs.push([]);
      current = net;
    }
    runs.at(-1)!.push(k);
  }
  return runs;
}
