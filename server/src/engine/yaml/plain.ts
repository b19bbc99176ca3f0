// A YAML node as the plain value JSON.parse would give for the same object, so that one decoder reads
// files and API objects alike. It follows the lookups of documents.ts: the first of duplicate keys
// wins, only scalar keys count, an alias is not followed (undefined), and nesting deeper than any
// Kubernetes field the engine reads is cut off instead of recursing without bound.
import { isMap, isScalar, isSeq } from 'yaml';

const MAX_DEPTH = 32;

export function plainOf(node: unknown, depth = 0): unknown {
  if (isScalar(node)) return node.value;
  if (depth >= MAX_DEPTH) return undefined;
  if (isSeq(node)) return node.items.map((n) => plainOf(n, depth + 1));
  if (!isMap(node)) return undefined;
  const out: Record<string, unknown> = {};
  for (const { key, value } of node.items) {
    if (!isScalar(key) || key.value === null || typeof key.value === 'object') continue;
    const k = String(key.value);
    if (!Object.hasOwn(out, k)) Object.defineProperty(out, k, { value: plainOf(value, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
