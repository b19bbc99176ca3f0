#!/usr/bin/env node
// Runs the extension-host e2e suite in desktop VS Code downloaded by @vscode/test-electron
// (for machines that can download VS Code; headless Linux CI uses launch-headless.mjs instead).
//
//   node test/e2e/launch-electron.mjs [--vscode-version 1.100.3] [--workspace DIR]
//
// Same suite, same run() contract. test-electron always passes --disable-workspace-trust, so
// this launcher runs the trusted mode only; the Restricted Mode run is the headless launcher's.
// Needs a display on Linux (xvfb-run node test/e2e/launch-electron.mjs).
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from './build.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function parseArgs(argv) {
  const options = { version: '1.100.3', workspace: join(repo, 'examples') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--vscode-version') options.version = argv[++i];
    else if (argv[i] === '--workspace') options.workspace = resolve(argv[++i] ?? '');
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(join(repo, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  if (!existsSync(options.workspace)) throw new Error(`${options.workspace} does not exist: the suite opens the examples/ workspace`);
  const suite = await buildSuite();
  const root = mkdtempSync(join(tmpdir(), 'capi-ipam-e2e-electron-'));
  const workspace = join(root, 'workspace');
  cpSync(options.workspace, workspace, { recursive: true });
  const home = join(root, 'home');
  mkdirSync(home);
  const started = Date.now();
  try {
    await runTests({
      version: options.version,
      extensionDevelopmentPath: repo,
      extensionTestsPath: suite.index,
      // A fresh profile and no other extensions; the workspace is a temporary copy of examples/.
      launchArgs: [workspace, '--disable-extensions', '--user-data-dir', join(root, 'user-data'), '--extensions-dir', join(root, 'extensions')],
      // No kubeconfig: the suite expects the offline state.
      extensionTestsEnv: { CAPI_IPAM_E2E_MODE: 'trusted', HOME: home, KUBECONFIG: '' },
    });
    console.log(`[e2e] electron run passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`[e2e] electron run failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
