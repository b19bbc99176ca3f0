// Bundles the extension-host test suite to CommonJS for both launchers:
//   test/e2e/suite/index.ts        -> test/e2e/.out/suite/index.js   (exports run(), the test-electron contract)
//   test/e2e/suite/*.test.ts       -> test/e2e/.out/suite/*.test.js  (one bundle per file, loaded by mocha)
//   test/e2e/suite/screenshots.ts  -> test/e2e/.out/screenshots.js   (drives the workbench for --screenshots)
// `vscode` is provided by the extension host; `mocha` is required from the repo's node_modules.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const suiteDir = join(here, 'suite');
export const outDir = join(here, '.out');

export async function buildSuite() {
  rmSync(outDir, { recursive: true, force: true });
  const tests = readdirSync(suiteDir)
    .filter((name) => name.endsWith('.test.ts'))
    .sort();
  if (tests.length === 0) throw new Error(`no *.test.ts files in ${suiteDir}`);
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
    external: ['vscode', 'mocha'],
  };
  await esbuild.build({
    ...common,
    entryPoints: [join(suiteDir, 'index.ts'), ...tests.map((name) => join(suiteDir, name))],
    outdir: join(outDir, 'suite'),
  });
  await esbuild.build({ ...common, entryPoints: [join(suiteDir, 'screenshots.ts')], outfile: join(outDir, 'screenshots.js') });
  return { index: join(outDir, 'suite', 'index.js'), screenshots: join(outDir, 'screenshots.js'), tests };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await buildSuite();
  console.log(`e2e suite bundled: ${result.tests.length} test files -> ${join(outDir, 'suite')}`);
}
