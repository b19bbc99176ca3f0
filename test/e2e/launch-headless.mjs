#!/usr/bin/env node
// Runs the extension-host e2e suite in a real VS Code on a headless Linux machine:
// the VS Code 1.100.3 server shipped in the npm package code-server, driven by Debian's Chromium
// through playwright-core (see vscodeServer.mjs for why and how).
//
//   node test/e2e/launch-headless.mjs [--only trusted|untrusted|live|live-real|vsix|demo[,…]] [--jobs N] [--screenshots] [--keep-workspace] [--workspace DIR]
//
// What it does, each step failing loudly with what to do:
//  1. checks Chromium (and, for a cold install, the Debian packages code-server's build needs);
//  2. installs code-server@4.100.3 (and playwright-core, unless the repo has it) into
//     .vscode-test/headless/ once, like @vscode/test-electron's download cache (test/e2e/vscodeServer.mjs);
//  3. bundles the suite (test/e2e/build.mjs), packages the .vsix (`npm run package`, in a staging copy
//     so dist/ keeps the development bundles) and copies examples/ to a temporary workspace per run;
//  4. per run: starts the VS Code server, opens the workbench in Chromium with the bundled suite as
//     extensionTestsPath and waits for the suite's exit code.
//     "trusted": the repo as extensionDevelopmentPath, --disable-workspace-trust (what test-electron does);
//     "untrusted": trust left on (test mode refuses the trust dialog, so the folder stays in Restricted
//       Mode) and $KUBECONFIG pointing at a trap API server that records every request;
//     "live": trusted, $KUBECONFIG pointing at the sandbox management cluster seeded with the demo's
//       management cluster (test/fixtures/demo), which the tests read and change through the Kubernetes
//       API, and stop and start through cluster-control.ts;
//     "live-real": the same tests against the real stack (test/realstack: kube-apiserver, etcd, the
//       in-cluster IPAM provider, kube-vip's cloud provider), seeded alike. Without Go it is reported as
//       NOT RUN (never as passed); with CAPI_IPAM_REAL_STACK=required that fails the run;
//     "vsix": trusted, no development folder: the packaged .vsix installed with the server's own
//       `--install-extension`, running the activation, connection and diagnostics tests;
//     "demo": `node test/e2e/demo.mjs --check` (sandbox + VS Code server + extension, URL answers, clean stop);
//  5. with --screenshots: drives the workbench (suite/screenshots.ts) and writes PNGs into docs/screenshots/.
// Exits 0 only when every run passed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { buildSuite } from './build.mjs';
import {
  CHROMIUM_ARGS,
  CODE_SERVER_VERSION,
  cacheDir,
  checkChromium,
  chromiumPath,
  ensureCodeServer,
  installVsix,
  killAll,
  loadPlaywright,
  packageVsix,
  prepareWorkspace,
  repo,
  seconds,
  startCluster,
  startVsCodeServer,
  stopProcessTree,
} from './vscodeServer.mjs';

const MODES = ['trusted', 'untrusted', 'live', 'live-real', 'vsix', 'demo'];
const RUN_TIMEOUT_MS = 5 * 60_000;
/** Runs at a time (each is a VS Code server + Chromium + extension host). */
const DEFAULT_JOBS = 2;
const DEMO_CHECK_TIMEOUT_MS = 3 * 60_000;
const SHOT_MARKER = '[capi-ipam-screenshot]';
/** The tests the packaged run repeats (mocha grep on the full title). */
const VSIX_GREP = '^(activation|connection state|diagnostics) ';

class StepError extends Error {}

/** `demo.mjs --check` while it runs: it stops its own sandbox and server on SIGTERM. */
let demoChild;
/** Temporary folders of the runs in progress: removed on Ctrl-C too (unless --keep-workspace). */
const tempRoots = new Set();
let keepTemp = false;

// Sandboxes and VS Code servers run in their own process groups: stopped on Ctrl-C too.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    demoChild?.kill('SIGTERM');
    if (!keepTemp) for (const root of tempRoots) rmSync(root, { recursive: true, force: true });
    console.error(`[e2e] interrupted (${signal})`);
    process.exit(130);
  });
}

function parseArgs(argv) {
  const options = { modes: [...MODES], jobs: DEFAULT_JOBS, screenshots: false, keepWorkspace: false, workspace: join(repo, 'examples') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--screenshots') options.screenshots = true;
    else if (arg === '--keep-workspace') options.keepWorkspace = true;
    else if (arg === '--workspace') options.workspace = resolve(argv[++i] ?? '');
    else if (arg === '--jobs') {
      options.jobs = Number(argv[++i]);
      if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new StepError('--jobs takes a positive number');
    } else if (arg === '--only') {
      const modes = (argv[++i] ?? '').split(',');
      const unknown = modes.filter((mode) => !MODES.includes(mode));
      if (unknown.length > 0 || modes.length === 0)
        throw new StepError(`--only takes ${MODES.join(', ')} (comma-separated), not ${unknown.join(',') || 'nothing'}`);
      options.modes = MODES.filter((mode) => modes.includes(mode));
    } else if (arg === '--help' || arg === '-h') {
      console.log(
        `usage: node test/e2e/launch-headless.mjs [--only ${MODES.join('|')}[,…]] [--jobs N (${DEFAULT_JOBS})] [--screenshots] [--keep-workspace] [--workspace DIR (default examples/, copied)]`,
      );
      process.exit(0);
    } else throw new StepError(`unknown argument ${arg} (see --help)`);
  }
  return options;
}

const log = (message) => console.log(`[e2e] ${message}`);

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
// 3. Trap API server (untrusted run)
// ---------------------------------------------------------------------------------------------

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
    res.end(
      JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'e2e trap: no request is expected' }),
    );
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

// ---------------------------------------------------------------------------------------------
// 4. The workbench
// ---------------------------------------------------------------------------------------------

/** The extension host's console arguments, formatted like console.log would (mocha passes format strings). */
function formatLogArgs(args) {
  if (!Array.isArray(args)) return String(args);
  return format(...args);
}

/**
 * Opens the workbench with the test payload and resolves with the suite's exit code.
 * `onLog(line)` sees every extension-host console line (mocha's report, screenshot markers).
 * `developmentPath`: the extension folder to load as extensionDevelopmentPath; without it the
 * workbench runs the extensions installed in the server's extensions directory.
 */
async function runWorkbench({ chromium, port, workspace, testsPath, developmentPath, onLog, viewport, print = console.log }) {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport });
    let settle;
    const exited = new Promise((ok, fail) => {
      settle = { ok, fail };
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = formatLogArgs(args);
      for (const part of line.replace(/\n$/, '').split('\n')) print(`  | ${part}`);
      onLog?.(line, type);
    });
    await page.exposeFunction('codeAutomationExit', (first, second) => {
      // VS Code 1.100.3 calls (code, logs); older builds called (logs, code).
      const code = typeof first === 'number' ? first : typeof second === 'number' ? second : 1;
      settle.ok(code);
    });
    page.on('crash', () => settle.fail(new Error('the workbench page crashed')));
    page.on('pageerror', (error) => print(`  ! page error: ${error.message}`));

    const authority = `127.0.0.1:${port}`;
    const payload = [
      ...(developmentPath ? [['extensionDevelopmentPath', `vscode-remote://${authority}${developmentPath}`]] : []),
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

async function runMode({ mode, chromium, suite, options, vsix, print }) {
  const say = (message) => print(`[e2e] ${message}`);
  const trusted = mode !== 'untrusted';
  const root = mkdtempSync(join(tmpdir(), `capi-ipam-e2e-${mode}-`));
  tempRoots.add(root);
  const workspace = prepareWorkspace(root, options.workspace);
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  const extensionsDir = join(root, 'extensions');
  const env = {
    ...process.env,
    HOME: home,
    CAPI_IPAM_E2E_MODE: mode === 'vsix' ? 'trusted' : mode === 'live-real' ? 'live' : mode,
    CAPI_IPAM_E2E_EXTENSION: mode === 'vsix' ? 'vsix' : 'development',
    CAPI_IPAM_E2E_EXTENSIONS_DIR: extensionsDir,
    CAPI_IPAM_E2E_REPO: repo,
  };
  delete env.KUBECONFIG;
  let trap;
  let cluster;
  const phases = [];
  const timed = async (name, fn) => {
    const started = Date.now();
    const result = await fn();
    phases.push(`${name} ${seconds(Date.now() - started)}`);
    return result;
  };
  if (mode === 'vsix') {
    await timed('install .vsix', () => installVsix(vsix, extensionsDir, root));
    env.CAPI_IPAM_E2E_GREP ||= VSIX_GREP; // unless the caller narrowed every run with CAPI_IPAM_E2E_GREP
  }
  if (mode === 'live' || mode === 'live-real') {
    const backend = mode === 'live' ? 'sandbox' : 'real';
    cluster = await timed(backend === 'real' ? 'real stack' : 'sandbox', () => startCluster(root, { backend }));
    if (cluster.notRun) {
      tempRoots.delete(root);
      rmSync(root, { recursive: true, force: true });
      say(`${mode} run: ${cluster.notRun}`);
      return { mode, code: 0, notRun: cluster.notRun, ms: 0, phases };
    }
    env.KUBECONFIG = cluster.kubeconfig;
    env.CAPI_IPAM_E2E_BACKEND = cluster.backend;
    env.CAPI_IPAM_E2E_CONTROL = cluster.control;
    env.CAPI_IPAM_E2E_CONTROL_TOKEN = cluster.controlToken;
  }
  if (!trusted) {
    trap = await startTrapApiServer();
    const kubeconfig = join(root, 'trap-kubeconfig.yaml');
    writeTrapKubeconfig(kubeconfig, trap.url);
    env.KUBECONFIG = kubeconfig;
    env.CAPI_IPAM_E2E_TRAP_URL = trap.probe;
  }
  let server;
  try {
    server = await timed('server', () => startVsCodeServer({ root, trusted, env, extensionsDir }));
    const started = Date.now();
    const code = await timed('workbench+suite', () =>
      runWorkbench({
        chromium,
        port: server.port,
        workspace,
        testsPath: suite.index,
        // The workbench runs extensionTestsPath only in an extension development window: the vsix run
        // names an empty development folder, so that the extension under test is the installed one.
        developmentPath: mode === 'vsix' ? emptyFolder(root) : repo,
        viewport: { width: 1280, height: 800 },
        print,
      }),
    );
    const elapsed = Date.now() - started;
    if (code !== 0) {
      say(`${mode} run: the suite failed (exit code ${code}). VS Code server output (last lines):`);
      for (const line of server.output.join('').trim().split('\n').slice(-30)) print(`  > ${line}`);
    }
    if (trap && trap.requests.length > 0)
      say(`${mode} run: the trap API server got ${trap.requests.length} request(s): ${trap.requests.slice(0, 5).join(', ')}`);
    return { mode, code, ms: elapsed, phases };
  } finally {
    if (server) await stopProcessTree(server.child);
    if (cluster?.child) await stopProcessTree(cluster.child);
    trap?.server.close();
    tempRoots.delete(root);
    if (!options.keepWorkspace) rmSync(root, { recursive: true, force: true });
    else say(`${mode} run: workspace kept in ${root}`);
  }
}

function emptyFolder(root) {
  const folder = join(root, 'no-development-extension');
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** `node test/e2e/demo.mjs --check --no-build`: the demo starts, answers and stops cleanly. */
function runDemoCheck(print) {
  const started = Date.now();
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(repo, 'test', 'e2e', 'demo.mjs'), '--check', '--no-build'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    demoChild = child;
    const output = [];
    const onData = (chunk) => {
      const text = chunk.toString();
      output.push(text);
      for (const line of text.replace(/\n$/, '').split('\n')) print(`  | ${line}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      fail(new Error(`demo.mjs --check did not finish within ${seconds(DEMO_CHECK_TIMEOUT_MS)}`));
    }, DEMO_CHECK_TIMEOUT_MS);
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      demoChild = undefined;
      ok({ mode: 'demo', code: code ?? 1, ms: Date.now() - started, phases: [], signal });
    });
  });
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
      queue = queue
        .then(async () => {
          if (expand) {
            // A real click on the tree row, as a user expands it.
            const row = page.getByRole('treeitem', { name: expand }).first();
            await row.click({ timeout: 10_000 });
          }
          await new Promise((ok) => setTimeout(ok, 1_500)); // let the workbench finish rendering
          const file = join(outDir, `${name}.png`);
          await page.screenshot({ path: file });
          taken.push(file);
        })
        .catch((error) => {
          shotError ??= new Error(`screenshot ${name}: ${error.message}`);
        })
        .finally(() => writeFileSync(join(shotsDir, `${name}.done`), ''));
    };
    const code = await runWorkbench({
      chromium: chromiumWithPage,
      port: server.port,
      workspace,
      testsPath: suite.screenshots,
      developmentPath: repo,
      onLog,
      viewport: { width: 1440, height: 900 },
    });
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
  keepTemp = options.keepWorkspace;
  const total = Date.now();
  const needsWorkbench = options.modes.some((mode) => mode !== 'demo') || options.screenshots;
  await step('Chromium', () => checkChromium());
  if (!existsSync(join(repo, 'dist', 'extension.js'))) throw new StepError('dist/extension.js is missing: run `npm run build` first');
  if (!existsSync(join(repo, 'dist', 'server.js'))) log('warning: dist/server.js is missing (`npm run build`): the language server cannot start');
  const installStarted = Date.now();
  const how = await step(`code-server ${CODE_SERVER_VERSION} in ${cacheDir}`, () => ensureCodeServer());
  const chromium = needsWorkbench ? await step('playwright-core', () => loadPlaywright()) : undefined;
  log(`install: ${how === 'cached' ? 'warm (cache)' : 'cold'} ${seconds(Date.now() - installStarted)}`);
  const suite = needsWorkbench ? await step('bundle the suite', () => buildSuite()) : undefined;
  let vsixDir;
  let vsix;

  // Runs are independent (own folders, servers, ports): `--jobs` of them at a time, each one's
  // output printed in one piece when it ends.
  const results = [];
  // The longest run first (live-real starts the real stack), so that it overlaps the short ones.
  const queue = [...options.modes].sort((a, b) => (b === 'live-real') - (a === 'live-real'));
  const runNext = async () => {
    for (let mode = queue.shift(); mode; mode = queue.shift()) {
      const lines = [];
      const print = options.jobs > 1 ? (line) => lines.push(line) : console.log;
      if (options.jobs === 1) log(`${mode} run: starting`);
      try {
        const result = await step(`${mode} run`, () => (mode === 'demo' ? runDemoCheck(print) : runMode({ mode, chromium, suite, options, vsix, print })));
        results.push(result);
        lines.push(
          `[e2e] ${mode} run: ${result.notRun ? 'NOT RUN' : `exit code ${result.code}`} in ${seconds(result.ms)}${result.phases.length ? ` (${result.phases.join(', ')})` : ''}`,
        );
      } catch (error) {
        results.push({ mode, code: 1, ms: 0, phases: [] });
        lines.push(`[e2e] ${error.message}`);
      } finally {
        if (options.jobs > 1) log(`${mode} run output:`);
        for (const line of lines) console.log(line);
      }
    }
  };
  try {
    if (options.modes.includes('vsix')) {
      vsixDir = mkdtempSync(join(tmpdir(), 'capi-ipam-e2e-vsix-'));
      tempRoots.add(vsixDir);
      vsix = await step('npm run package (staging copy)', () => packageVsix(vsixDir));
    }
    await Promise.all(Array.from({ length: Math.min(options.jobs, queue.length) }, runNext));
  } finally {
    if (vsixDir) rmSync(vsixDir, { recursive: true, force: true });
  }
  results.sort((a, b) => options.modes.indexOf(a.mode) - options.modes.indexOf(b.mode));
  if (options.screenshots) {
    const files = await step('screenshots', () => takeScreenshots({ chromium, suite, options }));
    for (const file of files) log(`screenshot: ${file}`);
  }
  const failed = results.filter((r) => r.code !== 0);
  const notRun = results.filter((r) => r.notRun);
  const outcome = (r) => (r.notRun ? 'NOT RUN' : r.code === 0 ? 'passed' : 'FAILED');
  log(`${results.map((r) => `${r.mode} ${outcome(r)} (${seconds(r.ms)})`).join(', ')}; total ${seconds(Date.now() - total)}`);
  console.log(
    `e2e: ${results.length - failed.length - notRun.length} passed, ${failed.length} failed, ${notRun.length} not run${notRun.length ? ` (${notRun.map((r) => `${r.mode}: ${r.notRun}`).join('; ')})` : ''}`,
  );
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(`[e2e] ${error instanceof StepError ? error.message : (error?.stack ?? error)}`);
  process.exitCode = 2;
});
