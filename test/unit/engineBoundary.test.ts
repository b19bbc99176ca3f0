// The engine's boundary: outside server/src/engine/ only engine/index is imported, and the client
// imports from server/src/ only the shared types and helpers. Until the lint config carries the same
// rule (no-restricted-imports), this test is what fails the build, naming file and import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const ENGINE = 'server/src/engine';
/** What the client may use of the server's sources: the protocol and two pure helpers. */
const CLIENT_MAY_IMPORT = new Set(['server/src/protocol', 'server/src/cachedAge']);

/** Module specifiers of static imports, `export … from`, side-effect imports and `import()`. */
export function specifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1]!);
  return out;
}

/** The repository path (no extension) a relative specifier of `file` names; undefined for packages. */
function target(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(ROOT, resolve(dirname(join(ROOT, file)), spec))
    .split('\\')
    .join('/')
    .replace(/\.(ts|js)$/, '');
}

/** "file: import" for every import that crosses a boundary. */
export function violations(file: string, source: string): string[] {
  const out: string[] = [];
  const inEngine = file.startsWith(`${ENGINE}/`);
  for (const spec of specifiers(source)) {
    const to = target(file, spec);
    if (!to) continue;
    if (!inEngine && to.startsWith(`${ENGINE}/`) && to !== `${ENGINE}/index`) out.push(`${file}: ${spec} (only ${ENGINE}/index is the way into the engine)`);
    if (file.startsWith('client/src/') && to.startsWith('server/') && !CLIENT_MAY_IMPORT.has(to))
      out.push(`${file}: ${spec} (the client uses only ${[...CLIENT_MAY_IMPORT].join(', ')})`);
  }
  return out;
}

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    return e.isDirectory() ? tsFiles(path) : e.name.endsWith('.ts') ? [path] : [];
  });
}

test('the checker sees every form of import, across lines', () => {
  const source = [
    "import { a } from '../engine/workspace';",
    'import {\n  b,\n  type C,\n} from "../engine/model/types";',
    "export { d } from '../engine/index';",
    "import type { E } from '../protocol';",
    "import '../engine/rules/index';",
    "const f = await import('../engine/fixes');",
    "import * as k8s from '@kubernetes/client-node';",
  ].join('\n');
  assert.deepEqual(violations('server/src/cli/x.ts', source), [
    'server/src/cli/x.ts: ../engine/workspace (only server/src/engine/index is the way into the engine)',
    'server/src/cli/x.ts: ../engine/model/types (only server/src/engine/index is the way into the engine)',
    'server/src/cli/x.ts: ../engine/rules/index (only server/src/engine/index is the way into the engine)',
    'server/src/cli/x.ts: ../engine/fixes (only server/src/engine/index is the way into the engine)',
  ]);
  assert.deepEqual(violations('server/src/engine/features/x.ts', source), []);
  assert.deepEqual(violations('client/src/x.ts', "import { a } from '../../server/src/lsp/settings';\nimport type { P } from '../../server/src/protocol';"), [
    'client/src/x.ts: ../../server/src/lsp/settings (the client uses only server/src/protocol, server/src/cachedAge)',
  ]);
});

test('outside server/src/engine/ only engine/index is imported; the client imports only the shared types', () => {
  const files = [...tsFiles('server/src'), ...tsFiles('client/src')];
  assert.ok(files.length > 100, `scanned ${files.length} files`);
  const crossing = files.flatMap((f) => violations(f, readFileSync(join(ROOT, f), 'utf8')));
  assert.deepEqual(crossing, []);
  // Not vacuous: the language server and the CLI do come in through the index.
  for (const f of ['server/src/lsp/languageServer.ts', 'server/src/cli/main.ts'])
    assert.ok(specifiers(readFileSync(join(ROOT, f), 'utf8')).includes('../engine/index'), f);
});
