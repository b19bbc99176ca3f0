// Seed YAML: files or directories (recursively, *.yaml / *.yml), multi-document, in a stable order.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

function files(path: string): string[] {
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .sort()
      .flatMap((n) => (n.startsWith('.') ? [] : files(join(path, n))));
  }
  return /\.ya?ml$/i.test(path) ? [path] : [];
}

/** Objects of the seed paths; `List` documents are flattened. Namespaces come first, then pools. */
export function readSeed(paths: string[]): Record<string, any>[] {
  const out: Record<string, any>[] = [];
  for (const p of paths.flatMap(files)) {
    for (const doc of YAML.parseAllDocuments(readFileSync(p, 'utf8'))) {
      if (doc.errors.length) throw new Error(`${p}: ${doc.errors[0]!.message}`);
      const v = doc.toJS() as unknown;
      if (!v || typeof v !== 'object') continue;
      const o = v as Record<string, any>;
      if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) out.push(...o.items);
      else out.push(o);
    }
  }
  const rank = (o: Record<string, any>) => (o.kind === 'Namespace' ? 0 : /IPPool$/.test(String(o.kind)) ? 1 : o.kind === 'Cluster' ? 2 : 3);
  return out
    .map((o, i) => ({ o, i }))
    .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i)
    .map((x) => x.o);
}
