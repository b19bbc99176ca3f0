#!/usr/bin/env node
// Runs the extension-host e2e suite in a real VS Code on a headless Linux machine:
// the VS Code 1.100.3 server shipped in the npm package code-server, driven by Debian's Chromium
// through playwright-core (recipe: shared/notes/real-vscode-headless.md).
//
//   node test/e2e/launch-headless.mjs [--only trusted|untrusted|live] [--screenshots] [--keep-workspace] [--workspace DIR]
//
// What it does, each step failing loudly with what to do:
//  1. checks Chromium (and, for a cold install, the Debian packages code-server's build needs);
//  2. installs code-server@4.100.3 (and playwright-core, unless the repo has it) into
//     .vscode-test/headless/ once, like @vscode/test-electron's download cache;
//  3. bundles the suite (test/e2e/build.mjs) and copies examples/ to a temporary workspace;
//  4. per mode: starts the VS Code server with the repo as extensionDevelopmentPath and the bundled
//     suite as extensionTestsPath, opens the workbench in Chromium and waits for the suite's exit code.
//     "trusted" passes --disable-workspace-trust (what test-electron does); "untrusted" leaves trust on
//     (test mode refuses the trust dialog, so the folder stays in Restricted Mode) and points $KUBECONFIG
//     at a trap API server that records every request; "live" is trusted with $KUBECONFIG pointing at
//     the sandbox management cluster (test/sandbox), which the tests change through sandbox-control.ts;
//  5. with --screenshots: drives the workbench (suite/screenshots.ts) and writes PNGs into docs/screenshots/.
// Exits 0 only when every run passed.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { buildSuite } from './build.mjs';

const CODE_SERVER_VERSION = '4.100.3';
const PLAYWRIGHT_CORE_VERSION = '1.65.1';
const RIPGREP_CACHE_ASSET = 'vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const APT_PACKAGES = 'chromium ripgrep libkrb5-dev';
const RUN_TIMEOUT_MS = 5 * 60_000;
const SERVER_START_TIMEOUT_MS = 60_000;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SHOT_MARKER = '[capi-ipam-screenshot]';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = join(repo, '.vscode-test', 'headless');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

class StepError extends Error {}

/** VS Code servers still running (own process groups): stopped on Ctrl-C too. */
const liveServers = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of liveServers) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
    console.error(`[e2e] interrupted (${signal})`);
    process.exit(130);
  });
}

function parseArgs(argv) {
  const options = { modes: ['trusted', 'untrusted', 'live'], screenshots: false, keepWorkspace: false, workspace: join(repo, 'examples') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--screenshots') options.screenshots = true;
    else if (arg === '--keep-workspace') options.keepWorkspace = true;
    else if (arg === '--workspace') options.workspace = resolve(argv[++i] ?? '');
    else if (arg === '--only') {
      const mode = argv[++i];
      if (!['trusted', 'untrusted', 'live'].includes(mode)) throw new StepError(`--only takes trusted, untrusted or live, not ${mode}`);
      options.modes = [mode];
    } else if (arg === '--help' || arg === '-h') {
      console.log('usage: node test/e2e/launch-headless.mjs [--only trusted|untrusted|live] [--screenshots] [--keep-workspace] [--workspace DIR (default examples/, copied)]');
      process.exit(0);
    } else throw new StepError(`unknown argument ${arg} (see --help)`);
  }
  return options;
}

const log = (message) => console.log(`[e2e] ${message}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function step(name, fn) {
  const started = Date.now();
  try {
    const result = await fn();
    log(`${name}: ok (${seconds(Date.now() - started)})`);
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new StepError(`${name} failed: ${message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 1-2. Prerequisites and the on-demand install
// ---------------------------------------------------------------------------------------------

function checkChromium() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing. Install Debian's Chromium (and what a cold install of code-server needs):\n` + `    apt-get update && apt-get install -y ${APT_PACKAGES}\n` + '  or set CHROMIUM_PATH to a Chromium/Chrome binary.');
  }
}

function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${output}`);
  }
  return result.stdout;
}

function codeServerDir() {
  return join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
}

function serverMain() {
  return join(codeServerDir(), 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
}

/** Installs code-server into the cache (staging folder, renamed when complete) unless it is there. */
function ensureCodeServer() {
  const stamp = join(codeServerDir(), '.complete');
  if (existsSync(stamp) && existsSync(serverMain())) return 'cached';

  const missing = [];
  if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev (gssapi headers for a native module of VS Code)');
  const rg = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (rg.status !== 0) missing.push('ripgrep (VS Code\'s @vscode/ripgrep would download it from GitHub)');
  if (missing.length > 0) throw new Error(`cannot install code-server: missing ${missing.join(', ')}.\n    apt-get update && apt-get install -y ${APT_PACKAGES}`);

  // @vscode/ripgrep's postinstall downloads rg unless it finds this asset in os.tmpdir(): give it Debian's rg.
  const npmTmp = join(cacheDir, 'tmp');
  const asset = join(npmTmp, RIPGREP_CACHE_ASSET);
  mkdirSync(dirname(asset), { recursive: true });
  if (!existsSync(asset)) {
    const rgPath = run('sh', ['-c', 'command -v rg']).trim();
    const stage = mkdtempSync(join(npmTmp, 'rg-'));
    cpSync(rgPath, join(stage, 'rg'));
    run('tar', ['-czf', asset, '-C', stage, 'rg']);
    rmSync(stage, { recursive: true, force: true });
  }

  const staging = `${codeServerDir()}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'capi-ipam-e2e-code-server', private: true }, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: staging,
    env: { ...process.env, TMPDIR: npmTmp, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (!existsSync(join(staging, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js'))) {
    throw new Error('npm installed code-server but lib/vscode/out/server-main.js is missing');
  }
  rmSync(codeServerDir(), { recursive: true, force: true });
  renameSync(staging, codeServerDir());
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return 'installed';
}

/** playwright-core from the repo's node_modules, else installed once into the cache. */
async function loadPlaywright() {
  const fromRepo = createRequire(join(repo, 'package.json'));
  let resolved;
  try {
    resolved = fromRepo.resolve('playwright-core');
  } catch {
    const dir = join(cacheDir, `playwright-core-${PLAYWRIGHT_CORE_VERSION}`);
    const fromCache = createRequire(join(dir, 'package.json'));
    try {
      resolved = fromCache.resolve('playwright-core');
    } catch {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'capi-ipam-e2e-playwright', private: true }, null, 2));
      // PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: never fetch a browser build; Debian's Chromium is used.
      run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `playwright-core@${PLAYWRIGHT_CORE_VERSION}`], {
        cwd: dir,
        env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
      });
      resolved = fromCache.resolve('playwright-core');
    }
  }
  const module = await import(pathToFileURL(resolved).href);
  return module.chromium ?? module.default.chromium;
}

// ---------------------------------------------------------------------------------------------
// 3. Workspace, trap API server
// ---------------------------------------------------------------------------------------------

/** A temporary copy of the workspace folder: tests write files and apply quick fixes there. */
function prepareWorkspace(root, source) {
  if (!existsSync(source)) throw new Error(`${source} does not exist: the suite opens the examples/ workspace`);
  const workspace = join(root, 'workspace');
  cpSync(source, workspace, { recursive: true });
  return workspace;
}

/** An HTTP server that stands for a Kubernetes API server and records every request it gets. */
async function startTrapApiServer() {
  const requests = [];
  const server = createServer((req, res) => {
    if (req.url === '/__e2e/requests') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ requests }));
      return;
    }
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'e2e trap: no request is expected' }));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { server, requests, url: `http://127.0.0.1:${port}`, probe: `http://127.0.0.1:${port}/__e2e/requests` };
}

function writeTrapKubeconfig(file, url) {
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: e2e-trap',
      '  cluster:',
      `    server: ${url}`,
      'users:',
      '- name: e2e-trap',
      '  user:',
      '    username: e2e',
      '    password: not-a-secret',
      'contexts:',
      '- name: e2e-trap',
      '  context:',
      '    cluster: e2e-trap',
      '    user: e2e-trap',
      'current-context: e2e-trap',
      '',
    ].join('\n'),
  );
}

/** The sandbox management cluster with its control endpoint (test/e2e/sandbox-control.ts, run through tsx). */
async function startSandbox(root) {
  const kubeconfig = join(root, 'sandbox-kubeconfig.yaml');
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'e2e', 'sandbox-control.ts'), '--kubeconfig', kubeconfig, '--seed', join('test', 'fixtures', 'sandbox', 'seed')], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  liveServers.add(child);
  child.once('exit', () => liveServers.delete(child));
  const output = [];
  const ready = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the sandbox was not ready within 30 s:\n${output.join('')}`)), 30_000);
    const onData = (chunk) => {
      output.push(chunk.toString());
      const match = /e2e-sandbox-ready (\{.*\})/.exec(output.join(''));
      if (match) {
        clearTimeout(timer);
        ok(JSON.parse(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`the sandbox exited (${code ?? signal}) before it was ready:\n${output.join('')}`));
    });
  });
  return { child, ...ready };
}

// ---------------------------------------------------------------------------------------------
// 4. The VS Code server and the workbench
// ---------------------------------------------------------------------------------------------

async function startVsCodeServer({ root, trusted, env }) {
  const userData = join(root, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'git.enabled': false,
        'security.workspace.trust.enabled': trusted ? false : true,
      },
      null,
      2,
    ),
  );
  const args = [
    serverMain(),
    '--host', '127.0.0.1',
    '--port', '0',
    '--without-connection-token',
    '--accept-server-license-terms',
    '--user-data-dir', userData,
    '--server-data-dir', join(root, 'server-data'),
    '--extensions-dir', join(root, 'extensions'),
    '--disable-telemetry',
    '--force-disable-user-env',
  ];
  if (trusted) args.push('--disable-workspace-trust');
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  liveServers.add(child);
  child.once('exit', () => liveServers.delete(child));
  const output = [];
  const port = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the VS Code server printed no port within ${seconds(SERVER_START_TIMEOUT_MS)}:\n${output.join('')}`)), SERVER_START_TIMEOUT_MS);
    const onData = (chunk) => {
      const text = chunk.toString();
      output.push(text);
      const match = /Extension host agent listening on (\d+)/.exec(output.join(''));
      if (match) {
        clearTimeout(timer);
        ok(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`the VS Code server exited (${code ?? signal}) before listening:\n${output.join('')}`));
    });
  });
  return { child, port, output };
}

function stopProcessTree(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      ok();
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      ok();
    });
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      ok();
    }
  });
}

/** The extension host's console arguments, formatted like console.log would (mocha passes format strings). */
function formatLogArgs(args) {
  if (!Array.isArray(args)) return String(args);
  return format(...args);
}

/**
 * Opens the workbench with the test payload and resolves with the suite's exit code.
 * `onLog(line)` sees every extension-host console line (mocha's report, screenshot markers).
 */
async function runWorkbench({ chromium, port, workspace, testsPath, onLog, viewport }) {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport });
    let settle;
    const exited = new Promise((ok, fail) => {
      settle = { ok, fail };
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = formatLogArgs(args);
      for (const part of line.replace(/\n$/, '').split('\n')) console.log(`  | ${part}`);
      onLog?.(line, type);
    });
    await page.exposeFunction('codeAutomationExit', (first, second) => {
      // VS Code 1.100.3 calls (code, logs); older builds called (logs, code).
      const code = typeof first === 'number' ? first : typeof second === 'number' ? second : 1;
      settle.ok(code);
    });
    page.on('crash', () => settle.fail(new Error('the workbench page crashed')));
    page.on('pageerror', (error) => console.log(`  ! page error: ${error.message}`));

    const authority = `127.0.0.1:${port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${repo}`],
      ['extensionTestsPath', `vscode-remote://${authority}${testsPath}`],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const url = `http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    let timer;
    const timeout = new Promise((_, fail) => {
      timer = setTimeout(() => fail(new Error(`no exit code from the workbench within ${seconds(RUN_TIMEOUT_MS)}`)), RUN_TIMEOUT_MS);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await browser.close().catch(() => {});
  }
}

async function runMode({ mode, chromium, suite, options }) {
  const trusted = mode !== 'untrusted';
  const root = mkdtempSync(join(tmpdir(), `capi-ipam-e2e-${mode}-`));
  const workspace = prepareWorkspace(root, options.workspace);
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  const env = { ...process.env, HOME: home, CAPI_IPAM_E2E_MODE: mode };
  delete env.KUBECONFIG;
  let trap;
  let sandbox;
  if (mode === 'live') {
    sandbox = await startSandbox(root);
    env.KUBECONFIG = sandbox.kubeconfig;
    env.CAPI_IPAM_E2E_SANDBOX = sandbox.control;
  }
  if (!trusted) {
    trap = await startTrapApiServer();
    const kubeconfig = join(root, 'trap-kubeconfig.yaml');
    writeTrapKubeconfig(kubeconfig, trap.url);
    env.KUBECONFIG = kubeconfig;
    env.CAPI_IPAM_E2E_TRAP_URL = trap.probe;
  }
  const server = await startVsCodeServer({ root, trusted, env });
  const started = Date.now();
  try {
    const code = await runWorkbench({ chromium, port: server.port, workspace, testsPath: suite.index, viewport: { width: 1280, height: 800 } });
    const elapsed = Date.now() - started;
    if (code !== 0) {
      log(`${mode} run: the suite failed (exit code ${code}). VS Code server output (last lines):`);
      for (const line of server.output.join('').trim().split('\n').slice(-30)) console.log(`  > ${line}`);
    }
    if (trap && trap.requests.length > 0) log(`${mode} run: the trap API server got ${trap.requests.length} request(s): ${trap.requests.slice(0, 5).join(', ')}`);
    return { mode, code, ms: elapsed };
  } finally {
    await stopProcessTree(server.child);
    if (sandbox) await stopProcessTree(sandbox.child);
    trap?.server.close();
    if (!options.keepWorkspace) rmSync(root, { recursive: true, force: true });
    else log(`${mode} run: workspace kept in ${root}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 5. Screenshots
// ---------------------------------------------------------------------------------------------

async function takeScreenshots({ chromium, suite, options }) {
  const outDir = join(repo, 'docs', 'screenshots');
  mkdirSync(outDir, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'capi-ipam-e2e-shots-'));
  const workspace = prepareWorkspace(root, options.workspace);
  const shotsDir = join(root, 'shots');
  mkdirSync(shotsDir);
  const home = join(root, 'home');
  mkdirSync(home);
  const env = { ...process.env, HOME: home, CAPI_IPAM_E2E_MODE: 'trusted', CAPI_IPAM_E2E_SHOTS_DIR: shotsDir };
  delete env.KUBECONFIG;
  const server = await startVsCodeServer({ root, trusted: true, env });
  const taken = [];
  try {
    let page;
    const chromiumWithPage = {
      launch: async (launchOptions) => {
        const browser = await chromium.launch(launchOptions);
        const newPage = browser.newPage.bind(browser);
        browser.newPage = async (pageOptions) => (page = await newPage(pageOptions));
        return browser;
      },
    };
    let queue = Promise.resolve();
    let shotError;
    const onLog = (line) => {
      const match = new RegExp(`\\${SHOT_MARKER} ([a-z0-9-]+)(?: expand=(".*"))?`).exec(line);
      if (!match) return;
      const name = match[1];
      const expand = match[2] ? JSON.parse(match[2]) : undefined;
      queue = queue.then(async () => {
        if (expand) {
          // A real click on the tree row, as a user expands it.
          const row = page.getByRole('treeitem', { name: expand }).first();
          await row.click({ timeout: 10_000 });
        }
        await new Promise((ok) => setTimeout(ok, 1_500)); // let the workbench finish rendering
        const file = join(outDir, `${name}.png`);
        await page.screenshot({ path: file });
        taken.push(file);
      }).catch((error) => {
        shotError ??= new Error(`screenshot ${name}: ${error.message}`);
      }).finally(() => writeFileSync(join(shotsDir, `${name}.done`), ''));
    };
    const code = await runWorkbench({ chromium: chromiumWithPage, port: server.port, workspace, testsPath: suite.screenshots, onLog, viewport: { width: 1440, height: 900 } });
    await queue;
    if (shotError) throw shotError;
    if (code !== 0) throw new Error(`the screenshot driver failed (exit code ${code})`);
    return taken;
  } finally {
    await stopProcessTree(server.child);
    if (!options.keepWorkspace) rmSync(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const total = Date.now();
  await step('Chromium', () => checkChromium());
  if (!existsSync(join(repo, 'dist', 'extension.js'))) throw new StepError('dist/extension.js is missing: run `npm run build` first');
  if (!existsSync(join(repo, 'dist', 'server.js'))) log('warning: dist/server.js is missing (`npm run build`): the language server cannot start');
  const installStarted = Date.now();
  const how = await step(`code-server ${CODE_SERVER_VERSION} in ${cacheDir}`, () => ensureCodeServer());
  const chromium = await step('playwright-core', () => loadPlaywright());
  log(`install: ${how === 'cached' ? 'warm (cache)' : 'cold'} ${seconds(Date.now() - installStarted)}`);
  const suite = await step('bundle the suite', () => buildSuite());

  const results = [];
  for (const mode of options.modes) {
    log(`${mode} run: starting`);
    const result = await step(`${mode} run`, () => runMode({ mode, chromium, suite, options }));
    log(`${mode} run: exit code ${result.code} in ${seconds(result.ms)}`);
    results.push(result);
  }
  if (options.screenshots) {
    const files = await step('screenshots', () => takeScreenshots({ chromium, suite, options }));
    for (const file of files) log(`screenshot: ${file}`);
  }
  const failed = results.filter((r) => r.code !== 0);
  log(`${results.map((r) => `${r.mode} ${r.code === 0 ? 'passed' : 'FAILED'} (${seconds(r.ms)})`).join(', ')}; total ${seconds(Date.now() - total)}`);
  console.log(`e2e: ${results.length - failed.length} passed, ${failed.length} failed`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(`[e2e] ${error instanceof StepError ? error.message : error?.stack ?? error}`);
  process.exitCode = 2;
});
