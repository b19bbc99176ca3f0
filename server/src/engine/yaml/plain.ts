// A YAML node as the plain value JSON.parse would give for the same object, so that one decoder reads
// files and API objects alike. It follows the lookups of documents.ts: the first of duplicate keys
// wins, only scalar keys count, an alias is not followed (undefined), and nesting deeper than any
// Kubernetes field the engine reads is cut off instead of recursing without bound.
import { isMap, isScalar, isSeq } from 'yaml';
import { perObject } from '../memo';

const MAX_DEPTH = 32;

/** Made once per node (engine/memo.ts): the inventory of unchanged documents is decoded again on every analysis. */
const plainOfNode = perObject((node: object) => convert(node, 0));

export function plainOf(node: unknown): unknown {
  return typeof node === 'object' && node !== null ? plainOfNode(node) : undefined;
}

function convert(node: unknown, depth: number): unknown {
  if (isScalar(node)) return node.value;
  if (depth >= MAX_DEPTH) return undefined;
  if (isSeq(node)) return node.items.map((n) => convert(n, depth + 1));
  if (!isMap(node)) return undefined;
  const out: Record<string, unknown> = {};
  for (const { key, value } of node.items) {
    if (!isScalar(key) || key.value === null || typeof key.value === 'object') continue;
    const k = String(key.value);
    if (Object.hasOwn(out, k)) continue;
    // `__proto__` is a key like any other in YAML: as an own property it never reaches the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: convert(value, depth + 1), enumerable: true, writable: true, configurable: true });
    else out[k] = convert(value, depth + 1);
  }
  return out;
}
