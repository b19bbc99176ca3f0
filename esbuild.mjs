// Bundles the extension client, the language server and the CLI into CommonJS files:
// the extension host loads CJS, and @kubernetes/client-node is ESM-only.
import * as esbuild from 'esbuild';
import { copyFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // client-node's ESM uses import.meta.url; give the CJS bundle an equivalent.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

// The CLI loads its live half (client-node and the live code, most of its size) only when a kubeconfig is
// used: server/src/cli/live.ts becomes dist/cli-live.js, required at run time. Both CLI bundles are always
// minified: start-up time is what a CI job pays on every run.
const cliLive = {
  name: 'cli-live',
  setup(build) {
    build.onResolve({ filter: /^\.\/live$/ }, (args) =>
      /server[\\/]src[\\/]cli[\\/]/.test(args.importer) ? { path: './cli-live.js', external: true } : undefined,
    );
  },
};
const cli = { minify: true, sourcemap: production ? false : 'linked' };

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node\n' + common.banner.js }, plugins: [cliLive], ...cli },
  { entryPoints: ['server/src/cli/live.ts'], outfile: 'dist/cli-live.js', ...cli },
];

// `--cli-package`: only the two CLI bundles, minified without source maps, into cli/dist/ (plus the
// LICENSE): what `npm pack` in cli/ puts into the capi-ipam npm package (its prepack runs this).
if (process.argv.includes('--cli-package')) {
  const root = dirname(fileURLToPath(import.meta.url));
  const out = (file) => join(root, 'cli', 'dist', file);
  await Promise.all(
    entries
      .filter((e) => /cli(-live)?\.js$/.test(e.outfile))
      .map((e) => esbuild.build({ ...common, ...e, sourcemap: false, minify: true, absWorkingDir: root, outfile: out(basename(e.outfile)) })),
  );
  copyFileSync(join(root, 'LICENSE'), join(root, 'cli', 'LICENSE'));
  process.exit(0);
}

const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
