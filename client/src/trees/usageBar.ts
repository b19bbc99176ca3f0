// Text rendering of pool usage for tree descriptions. Counts are decimal strings because IPv6
// pools exceed 2^53 addresses, so the arithmetic is done with BigInt.

const FILLED = '▰';
const EMPTY = '▱';

/** Percentage of `used` in `total`, rounded down, 0 for an empty or unparsable pool. */
export function usagePercent(used: string, total: string): number {
  const usedCount = parseCount(used);
  const totalCount = parseCount(total);
  if (usedCount === undefined || totalCount === undefined || totalCount === 0n) return 0;
  const percent = (usedCount * 100n) / totalCount;
  return Number(percent > 100n ? 100n : percent);
}

/** `▰▰▰▱▱ 62%`: `cells` cells, a cell filled per started 1/cells share, so any use shows. */
export function usageBar(used: string, total: string, cells = 5): string {
  const percent = usagePercent(used, total);
  const usedCount = parseCount(used) ?? 0n;
  let filled = Math.ceil((percent * cells) / 100);
  if (filled === 0 && usedCount > 0n) filled = 1;
  return `${FILLED.repeat(filled)}${EMPTY.repeat(cells - filled)} ${percent}%`;
}

/** `used/total (free free)` with thousands separators, e.g. `12/254 (242 free)`. */
export function usageCounts(used: string, total: string, free: string): string {
  return `${groupDigits(used)}/${groupDigits(total)} (${groupDigits(free)} free)`;
}

/**
 * The pool item's description, short enough for the default sidebar width: `▰▱▱▱▱ 37 free`
 * (huge IPv6 counts as `1.8e19`); the full counts are in the tooltip.
 */
export function poolDescription(used: string, total: string, free: string): string {
  return `${usageBar(used, total).split(' ')[0]} ${compactCount(free)} free`;
}

/** Up to 6 digits as they are (with separators), beyond that in scientific notation. */
export function compactCount(text: string): string {
  if (!/^\d+$/.test(text) || text.length <= 6) return groupDigits(text);
  return `${text[0]}.${text[1]}e${text.length - 1}`;
}

function parseCount(text: string): bigint | undefined {
  return /^\d+$/.test(text) ? BigInt(text) : undefined;
}

function groupDigits(text: string): string {
  return /^\d+$/.test(text) ? text.replace(/\B(?=(\d{3})+$)/g, ',') : text;
}
