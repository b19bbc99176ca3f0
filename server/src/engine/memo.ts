// Every cache of the engine is made here, by one of two helpers, so that what a cache may hold and
// how long it lives is said once (ARCHITECTURE.md, "Where caching lives"):
// - `perObject`: a value derived from an object, kept as long as that object lives. Keys are parse
//   results (documents, nodes), objects of one analysis (inventory, cluster) or values of a config:
//   none of them is mutated after it is made, so the derived value never goes stale, and it dies with
//   its key (a `WeakMap`), i.e. with the document's text or the analysis that made it. Arguments
//   after the key must be determined by the key: they are read only when the value is first made.
// - `perObjectWith`: the same, for a value that also depends on other inputs (a text, settings):
//   made again when one of them is not identical (`===`) to what it was last made from.
// - `bounded`: a pure function of a short string (an address, a range entry), kept across analyses;
//   the table is emptied when it reaches its size, so memory stays bounded whatever the input.
// Nothing else in the engine keeps state between calls: `Workspace` owns the files and the analysis.

/** `compute(key, ...rest)`, made once per key object (see above for what may be a key). */
export function perObject<K extends object, A extends unknown[], V>(compute: (key: K, ...rest: A) => V): (key: K, ...rest: A) => V {
  const table = new WeakMap<K, V>();
  return (key, ...rest) => {
    let v = table.get(key);
    if (v === undefined && !table.has(key)) table.set(key, (v = compute(key, ...rest)));
    return v as V;
  };
}

/** `compute()` for `key`, kept while `inputs` stay identical to the ones it was made from. */
export function perObjectWith<K extends object, V>(): (key: K, inputs: readonly unknown[], compute: () => V) => V {
  const table = new WeakMap<K, { inputs: readonly unknown[]; value: V }>();
  return (key, inputs, compute) => {
    const hit = table.get(key);
    if (hit && hit.inputs.length === inputs.length && hit.inputs.every((x, i) => x === inputs[i])) return hit.value;
    const value = compute();
    table.set(key, { inputs, value });
    return value;
  };
}

/** `compute(text)` for a pure function of a string, with at most `limit` entries kept. */
export function bounded<V>(limit: number, compute: (text: string) => V): (text: string) => V {
  const table = new Map<string, V>();
  return (text) => {
    let v = table.get(text);
    if (v === undefined && !table.has(text)) {
      if (table.size >= limit) table.clear();
      table.set(text, (v = compute(text)));
    }
    return v as V;
  };
}
