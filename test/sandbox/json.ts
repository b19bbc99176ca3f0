// JSON helpers for the sandbox: deep clone and a stringify that writes BigInt values as
// plain JSON numbers (pool counts reach 2^63-1, beyond a double's exact range).

const MARK = '\u0000bigint:';

export function clone<T>(v: T): T {
  return structuredClone(v);
}

export function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${MARK}${v.toString()}` : v));
  if (!text.includes('\\u0000bigint:')) return text;
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

/** A count as stored in objects: a plain number while exact, a BigInt beyond 2^53. */
export function jsonInt(n: bigint | number): number | bigint {
  if (typeof n === 'number') return n;
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n;
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
