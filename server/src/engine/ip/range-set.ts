// A set of addresses of one family as sorted, disjoint, non-adjacent inclusive ranges of BigInts.
// Every count and every "lowest free" answer is computed on ranges, never by enumerating.
import { type Family, formatAddr } from './addr';

export type Range = readonly [first: bigint, last: bigint];

export class RangeSet {
  private constructor(
    readonly family: Family,
    readonly ranges: readonly Range[],
  ) {}

  static empty(family: Family): RangeSet {
    return new RangeSet(family, []);
  }

  /** Normalises any list of ranges (unsorted, overlapping, adjacent). */
  static of(family: Family, ranges: Iterable<Range>): RangeSet {
    const sorted = [...ranges].filter(([a, b]) => a <= b).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const out: [bigint, bigint][] = [];
    for (const [a, b] of sorted) {
      const last = out[out.length - 1];
      if (last && a <= last[1] + 1n) {
        if (b > last[1]) last[1] = b;
      } else out.push([a, b]);
    }
    return new RangeSet(family, out);
  }

  static ofValues(family: Family, values: Iterable<bigint>): RangeSet {
    return RangeSet.of(
      family,
      [...values].map((v) => [v, v] as const),
    );
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  size(): bigint {
    let n = 0n;
    for (const [a, b] of this.ranges) n += b - a + 1n;
    return n;
  }

  /** Binary search: O(log n). */
  contains(v: bigint): boolean {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = this.ranges[mid]!;
      if (v < a) hi = mid - 1;
      else if (v > b) lo = mid + 1;
      else return true;
    }
    return false;
  }

  first(): bigint | undefined {
    return this.ranges[0]?.[0];
  }

  union(other: RangeSet): RangeSet {
    return RangeSet.of(this.family, [...this.ranges, ...other.ranges]);
  }

  /** Linear merge of two sorted lists. */
  subtract(other: RangeSet): RangeSet {
    const out: [bigint, bigint][] = [];
    let j = 0;
    const cut = other.ranges;
    for (const [a0, b] of this.ranges) {
      let a = a0;
      while (j < cut.length && cut[j]![1] < a) j++;
      let k = j;
      while (a <= b && k < cut.length && cut[k]![0] <= b) {
        const [c, d] = cut[k]!;
        if (c > a) out.push([a, c - 1n]);
        a = d + 1n;
        if (d <= b) k++;
        else break;
      }
      if (a <= b) out.push([a, b]);
    }
    return new RangeSet(this.family, out);
  }

  intersect(other: RangeSet): RangeSet {
    const out: [bigint, bigint][] = [];
    let i = 0;
    let j = 0;
    while (i < this.ranges.length && j < other.ranges.length) {
      const [a, b] = this.ranges[i]!;
      const [c, d] = other.ranges[j]!;
      const lo = a > c ? a : c;
      const hi = b < d ? b : d;
      if (lo <= hi) out.push([lo, hi]);
      if (b < d) i++;
      else j++;
    }
    return new RangeSet(this.family, out);
  }

  overlaps(other: RangeSet): boolean {
    return !this.intersect(other).isEmpty;
  }

  /** Whether every address of `other` is in this set. */
  covers(other: RangeSet): boolean {
    return other.subtract(this).isEmpty;
  }

  /** "a-b (n)" texts of the first `limit` ranges, for views and messages. */
  describe(limit = Infinity): string[] {
    return this.ranges.slice(0, limit).map(([a, b]) => {
      const from = formatAddr({ family: this.family, value: a });
      return a === b ? from : `${from}-${formatAddr({ family: this.family, value: b })}`;
    });
  }
}
