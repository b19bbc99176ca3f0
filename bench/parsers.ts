// `npx tsx bench/parsers.ts`: the parse floor's parts and our open path broken down, on the 100k-line file
// (issue 20; not part of `npm run bench`). Medians of R runs (default 5), in one process.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { parseAllDocuments, Parser, Lexer, Composer } from 'yaml';
import { createRequire } from 'node:module';
import { bigFile, POOLS } from './generate';
import { ChunkedFile } from '../server/src/engine/yaml/chunks';
import { objectsOf } from '../server/src/engine/model/kinds';
import { buildClusters, DEFAULT_TOPOLOGY_VARIABLES } from '../server/src/engine/model/clusters';
import { workspaceInventory } from '../server/src/engine/model/inventory';
import { runRules } from '../server/src/engine/rules/index';
import { LineIndex } from '../server/src/engine/text/positions';
import { Workspace } from '../server/src/engine/workspace';

// web-tree-sitter and @tree-sitter-grammars/tree-sitter-yaml are not dependencies (they did not pay, see
// BENCHMARKS.md): install them into a folder and name it, e.g. BENCH_TREE_SITTER=/tmp/tsm.
const TREE_SITTER = process.env.BENCH_TREE_SITTER;
const req = createRequire(`${TREE_SITTER ?? '/nonexistent'}/`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const big = POOLS + '---\n' + bigFile(500);
console.log('lines', big.split('\n').length, 'chars', big.length);
const R = Number(process.env.R ?? 5);
function t(fn: () => void): number {
  const s = performance.now();
  fn();
  return performance.now() - s;
}
async function main() {
  const TS = TREE_SITTER ? req('web-tree-sitter') : undefined;
  let tsp: any;
  if (TS) {
    await TS.Parser.init();
    const lang = await TS.Language.load(`${TREE_SITTER}/node_modules/@tree-sitter-grammars/tree-sitter-yaml/tree-sitter-yaml.wasm`);
    tsp = new TS.Parser();
    tsp.setLanguage(lang);
  }
  const rows: Record<string, number[]> = {};
  const add = (k: string, v: number) => (rows[k] ??= []).push(v);
  for (let r = 0; r < R; r++) {
    add(
      'yaml parseAllDocuments',
      t(() => void parseAllDocuments(big)),
    );
    add(
      'yaml Lexer only',
      t(() => {
        void [...new Lexer().lex(big)].length;
      }),
    );
    add(
      'yaml Parser (CST) only',
      t(() => {
        void [...new Parser().parse(big)].length;
      }),
    );
    add(
      'yaml CST + Composer',
      t(() => {
        void [...new Composer().compose(new Parser().parse(big))].length;
      }),
    );
    if (tsp) {
      let tree: any;
      add(
        'tree-sitter full parse',
        t(() => {
          tree = tsp.parse(big);
        }),
      );
      // one-line edit: insert a line after 'name: cluster-250'
      const at = big.indexOf('  name: cluster-250\n') + '  name: cluster-250\n'.length;
      const ins = '  annotations: {edited: "1"}\n';
      const edited = big.slice(0, at) + ins + big.slice(at);
      const pre = big.slice(0, at);
      const row = pre.split('\n').length - 1;
      add(
        'tree-sitter incremental re-parse (1 line)',
        t(() => {
          tree.edit({
            startIndex: at * 2,
            oldEndIndex: at * 2,
            newEndIndex: (at + ins.length) * 2,
            startPosition: { row, column: 0 },
            oldEndPosition: { row, column: 0 },
            newEndPosition: { row: row + 1, column: 0 },
          });
          const t2 = tsp.parse(edited, tree);
          t2.delete();
        }),
      );
      tree.delete();
    }
    // our open path, broken down
    let docs: any, objects: any, clusters: any, inv: any, findings: any;
    add(
      'ours: parse (ChunkedFile)',
      t(() => {
        docs = new ChunkedFile('file:///big.yaml').update(big);
      }),
    );
    add(
      'ours: model: objects',
      t(() => {
        objects = docs.filter((d: any) => d.errors.length === 0).flatMap(objectsOf);
      }),
    );
    add(
      'ours: model: clusters',
      t(() => {
        clusters = buildClusters(objects, DEFAULT_TOPOLOGY_VARIABLES);
      }),
    );
    add(
      'ours: model: inventory',
      t(() => {
        inv = workspaceInventory(objects);
      }),
    );
    add(
      'ours: rules',
      t(() => {
        findings = runRules({ clusters, inventory: inv, live: false, files: [], renderFailures: [] });
      }),
    );
    add(
      'ours: publish (line index + ranges)',
      t(() => {
        const li = new LineIndex(big);
        const out = findings.map((f: any) => ({ s: li.position(f.span.start), e: li.position(f.span.end) }));
        JSON.stringify(out);
      }),
    );
    add(
      'ours: Workspace.analyze total',
      t(() => {
        const w = new Workspace();
        w.setFile('file:///big.yaml', big);
        w.analyze();
      }),
    );
  }
  for (const [k, v] of Object.entries(rows)) console.log(k.padEnd(45), median(v).toFixed(1), 'ms');
  console.log('rss MiB', (process.memoryUsage().rss / 2 ** 20).toFixed(0));
}
void main();
