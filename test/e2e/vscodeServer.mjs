// What the headless e2e launcher and `npm run demo` share: the on-demand install of the VS Code
// server (from the npm package code-server) and of playwright-core, the management cluster
// (test/e2e/cluster-control.ts: the sandbox or the real stack), the VS Code server process, the extension's installation into it
// (the development folder, or a .vsix packaged by `npm run package`) and stopping process trees.
// Why code-server: it ships the VS Code server of a pinned release as an npm package, where the VS Code
// desktop download is not reachable; Debian's Chromium then runs the real workbench against it.
//
// Every child is spawned detached (its own process group), so that stopping it also stops what it
// started (extension host, language server, file watcher), and Ctrl-C in the terminal reaches only
// the parent, which decides how to stop them.
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const PLAYWRIGHT_CORE_VERSION = '1.65.1';
const RIPGREP_CACHE_ASSET = 'vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
export const APT_PACKAGES = 'chromium ripgrep libkrb5-dev';
const SERVER_START_TIMEOUT_MS = 60_000;
/** Until the management cluster serves: the real stack may first have to build (cold: many minutes). */
const CLUSTER_START_TIMEOUT_MS = { sandbox: 30_000, real: 45 * 60_000 };
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cacheDir = join(repo, '.vscode-test', 'headless');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** The management cluster of the demo and of the e2e live run. */
export const DEMO_SEED = join(repo, 'test', 'fixtures', 'demo');
/** The demo's workload clusters: `--workload` arguments of cluster-control.ts (each its own API server). */
export const DEMO_WORKLOADS = [`default/prod=${join(repo, 'test', 'fixtures', 'demo-workloads', 'prod')}`];

export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Detached children still running: `stopAll()` stops them (signal handlers, failures). */
export const liveProcesses = new Set();

function track(child) {
  liveProcesses.add(child);
  child.once('exit', () => liveProcesses.delete(child));
  return child;
}

// ---------------------------------------------------------------------------------------------
// Prerequisites and the on-demand install (like @vscode/test-electron's download cache)
// ---------------------------------------------------------------------------------------------

/**
 * Installs the Debian packages the suite needs when one is missing, the way the launcher installs
 * VS Code itself: only with apt-get, as root or with passwordless sudo; otherwise the caller's error
 * says what to install.
 */
export function ensureSystemPackages(print = console.log) {
  const have = existsSync(chromiumPath) && existsSync('/usr/include/gssapi/gssapi.h') && spawnSync('rg', ['--version']).status === 0;
  if (have || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = root ? [] : spawnSync('sudo', ['-n', 'true']).status === 0 ? ['sudo', '-n'] : undefined;
  if (!sudo) return;
  print(`installing Debian packages: ${APT_PACKAGES}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...args) => run(sudo[0] ?? 'apt-get', sudo.length ? [...sudo.slice(1), 'apt-get', ...args] : args, { env });
  apt('update', '-qq');
  apt('install', '-y', '-qq', '--no-install-recommends', ...APT_PACKAGES.split(' '), 'python3', 'make', 'g++');
}

export function checkChromium() {
  ensureSystemPackages();
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing. Install Debian's Chromium (and what a cold install of code-server needs):\n` +
        `    apt-get update && apt-get install -y ${APT_PACKAGES}\n` +
        '  or set CHROMIUM_PATH to a Chromium/Chrome binary.',
    );
  }
}

export function run(command, args, options) {
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

export function serverMain() {
  return join(codeServerDir(), 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
}

/** Installs code-server into the cache (staging folder, renamed when complete) unless it is there. Returns 'cached' or 'installed'. */
export function ensureCodeServer() {
  const stamp = join(codeServerDir(), '.complete');
  if (existsSync(stamp) && existsSync(serverMain())) return 'cached';

  ensureSystemPackages();
  const missing = [];
  if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev (gssapi headers for a native module of VS Code)');
  const rg = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (rg.status !== 0) missing.push("ripgrep (VS Code's @vscode/ripgrep would download it from GitHub)");
  if (missing.length > 0)
    throw new Error(`cannot install code-server: missing ${missing.join(', ')}.\n    apt-get update && apt-get install -y ${APT_PACKAGES}`);

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

/** playwright-core from the repo's node_modules, else installed once into the cache. Returns its `chromium`. */
export async function loadPlaywright() {
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
// Workspace and sandbox
// ---------------------------------------------------------------------------------------------

/** A temporary copy of the workspace folder (tests and the demo write into it): `<root>/workspace`. */
export function prepareWorkspace(root, source = join(repo, 'examples')) {
  if (!existsSync(source)) throw new Error(`${source} does not exist: the workbench opens the examples/ workspace`);
  const workspace = join(root, 'workspace');
  cpSync(source, workspace, { recursive: true });
  return workspace;
}

/**
 * The management cluster with its control endpoint (test/e2e/cluster-control.ts through tsx): the
 * sandbox or the real stack (`backend`), seeded from `seeds`. Resolves with
 * `{ child, backend, url, kubeconfig, context, control, controlToken }` once it serves, or with
 * `{ notRun: reason }` when the real lane cannot run here (no Go; an error with CAPI_IPAM_REAL_STACK=required).
 */
export async function startCluster(root, { backend = 'sandbox', seeds = [DEMO_SEED], workloads = DEMO_WORKLOADS } = {}) {
  const kubeconfig = join(root, `${backend}-kubeconfig.yaml`);
  const args = ['--import', 'tsx', join('test', 'e2e', 'cluster-control.ts'), '--backend', backend, '--kubeconfig', kubeconfig];
  for (const seed of seeds) args.push('--seed', seed);
  for (const workload of workloads) args.push('--workload', workload);
  // The control endpoint answers only this token (handed over in the environment, never printed).
  const controlToken = randomBytes(24).toString('hex');
  const env = { ...process.env, CAPI_IPAM_CONTROL_TOKEN: controlToken };
  const child = track(spawn(process.execPath, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
  const output = [];
  child.stdout.on('data', () => output.length > 400 && output.splice(0, output.length - 200));
  const timeoutMs = CLUSTER_START_TIMEOUT_MS[backend];
  const ready = await new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      fail(new Error(`the ${backend} cluster was not ready within ${seconds(timeoutMs)}:\n${output.join('')}`));
      stopProcessTree(child); // it, and the real stack's processes with it (their guard sees it end)
    }, timeoutMs);
    const onData = (chunk) => {
      output.push(chunk.toString());
      const match = /e2e-cluster-(ready|not-run) (\{.*\})/.exec(output.join(''));
      if (match) {
        clearTimeout(timer);
        const value = JSON.parse(match[2]);
        ok(match[1] === 'ready' ? value : { notRun: value.reason });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`the ${backend} cluster exited (${code ?? signal}) before it was ready:\n${output.join('')}`));
    });
  });
  return { child, output, controlToken, ...ready };
}

// ---------------------------------------------------------------------------------------------
// The extension inside the VS Code server
// ---------------------------------------------------------------------------------------------

const packageJson = () => JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));

/** `publisher.name`, the id VS Code gives the extension. */
export function extensionId() {
  const pkg = packageJson();
  return `${pkg.publisher}.${pkg.name}`;
}

/**
 * Installs the development folder (the repo, built with `npm run build`) into an extensions
 * directory the way VS Code keeps installed extensions: a `<publisher>.<name>-<version>` folder,
 * here a symbolic link to the repo, which the server registers in extensions.json on its first scan.
 */
export function installDevelopmentFolder(extensionsDir) {
  const pkg = packageJson();
  mkdirSync(extensionsDir, { recursive: true });
  const link = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  if (!existsSync(link)) symlinkSync(repo, link, 'dir');
  return link;
}

/**
 * `npm run package` in a staging copy of the repo (a copy of the sources, node_modules linked, its
 * own `dist/` and .vsix), so that the production build `vsce` runs never overwrites the development
 * bundles in `dist/`. (vsce does not follow directory links: what it packs must be copied.)
 * Returns the path of the .vsix inside `outDir`.
 */
export function packageVsix(outDir) {
  const stage = join(outDir, 'package-stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const skip = new Set(['.git', '.vscode-test', 'dist', 'out', '.cache', 'node_modules']);
  for (const name of readdirSync(repo)) {
    if (skip.has(name) || name.endsWith('.vsix')) continue;
    cpSync(join(repo, name), join(stage, name), { recursive: true, filter: (source) => !source.includes(`${join('test', 'e2e', '.out')}`) });
  }
  symlinkSync(join(repo, 'node_modules'), join(stage, 'node_modules'), 'dir');
  run('npm', ['run', 'package'], { cwd: stage });
  const name = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')).scripts.package.match(/--out\s+(\S+)/)?.[1] ?? `${packageJson().name}.vsix`;
  const vsix = join(outDir, name);
  renameSync(join(stage, name), vsix);
  rmSync(stage, { recursive: true, force: true });
  return vsix;
}

/** `server-main.js --install-extension <vsix> --extensions-dir <dir>`: VS Code's own installer (the code-server --install-extension equivalent). */
export function installVsix(vsix, extensionsDir, root) {
  mkdirSync(extensionsDir, { recursive: true });
  const out = run(
    process.execPath,
    [
      serverMain(),
      '--accept-server-license-terms',
      '--user-data-dir',
      join(root, 'user-data'),
      '--server-data-dir',
      join(root, 'server-data'),
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { env: { ...process.env, HOME: join(root, 'home') } },
  );
  if (!/successfully installed/.test(out)) throw new Error(`the VS Code server did not report the installation of ${vsix}:\n${out}`);
  return out.trim();
}

/** `server-main.js --list-extensions --show-versions` for an extensions directory. */
export function listExtensions(extensionsDir, root) {
  return run(
    process.execPath,
    [
      serverMain(),
      '--accept-server-license-terms',
      '--user-data-dir',
      join(root, 'user-data'),
      '--server-data-dir',
      join(root, 'server-data'),
      '--extensions-dir',
      extensionsDir,
      '--list-extensions',
      '--show-versions',
    ],
    { env: { ...process.env, HOME: join(root, 'home') } },
  )
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[\w-]+\.[\w-]+@/.test(line));
}

// ---------------------------------------------------------------------------------------------
// The VS Code server
// ---------------------------------------------------------------------------------------------

/** User settings of a quiet, deterministic workbench; `extra` is merged over them. */
export function writeUserSettings(userData, { trusted, extra = {} }) {
  mkdirSync(join(userData, 'User'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'git.enabled': false,
    'security.workspace.trust.enabled': trusted ? false : true,
    ...extra,
  };
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * Starts `server-main.js` (VS Code's server) and resolves with `{ child, port, output }` once it listens.
 * `root` holds user-data/, server-data/ and (unless `extensionsDir` is given) extensions/.
 * `connectionTokenFile`: require that token (otherwise --without-connection-token, for loopback use only).
 */
export async function startVsCodeServer({
  root,
  trusted,
  env,
  host = '127.0.0.1',
  port = 0,
  extensionsDir = join(root, 'extensions'),
  userSettings,
  defaultFolder,
  connectionTokenFile,
}) {
  const userData = join(root, 'user-data');
  writeUserSettings(userData, { trusted, extra: userSettings });
  const args = [
    serverMain(),
    '--host',
    host,
    '--port',
    String(port),
    '--accept-server-license-terms',
    '--user-data-dir',
    userData,
    '--server-data-dir',
    join(root, 'server-data'),
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--force-disable-user-env',
  ];
  args.push(...(connectionTokenFile ? ['--connection-token-file', connectionTokenFile] : ['--without-connection-token']));
  if (trusted) args.push('--disable-workspace-trust');
  if (defaultFolder) args.push('--default-folder', defaultFolder);
  const child = track(spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
  const output = [];
  // Keeps consuming (a full pipe would block the server) but only the recent output for error reports.
  child.stdout.on('data', () => output.length > 400 && output.splice(0, output.length - 200));
  const listening = await new Promise((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the VS Code server printed no port within ${seconds(SERVER_START_TIMEOUT_MS)}:\n${output.join('')}`)),
      SERVER_START_TIMEOUT_MS,
    );
    const onData = (chunk) => {
      output.push(chunk.toString());
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
  return { child, port: listening, output };
}

// ---------------------------------------------------------------------------------------------
// Stopping
// ---------------------------------------------------------------------------------------------

/** True while any process of the child's process group is alive. */
export function groupAlive(child) {
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * SIGTERM to the child's process group, SIGKILL to the group after `graceMs`; resolves once the
 * child has exited and no process of its group is left (at most `graceMs` + 2 s).
 */
export async function stopProcessTree(child, graceMs = 5_000) {
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((ok) => child.once('exit', ok));
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {}
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  await Promise.race([exited, new Promise((ok) => setTimeout(ok, graceMs))]);
  while (groupAlive(child) && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
  if (groupAlive(child)) signal('SIGKILL');
  const killDeadline = Date.now() + 2_000;
  while (groupAlive(child) && Date.now() < killDeadline) await new Promise((ok) => setTimeout(ok, 50));
}

/** Stops every tracked child (in parallel). */
export async function stopAll(graceMs) {
  await Promise.all([...liveProcesses].map((child) => stopProcessTree(child, graceMs)));
}

/** Kills every tracked child's process group at once (synchronous: for `process.on('exit')`). */
export function killAll() {
  for (const child of liveProcesses) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }
}
