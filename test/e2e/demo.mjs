#!/usr/bin/env node
// `npm run demo`: the extension in a real VS Code, in the browser, against a management cluster.
//
//   node test/e2e/demo.mjs [--host ADDRESS] [--port N] [--no-build] [--check]
//
//  1. builds the extension (`npm run build`, unless --no-build);
//  2. installs the VS Code server on demand (code-server's VS Code build, cached in .vscode-test/headless/,
//     the same install as the headless e2e launcher: test/e2e/vscodeServer.mjs);
//  3. starts the sandbox management cluster seeded with test/fixtures/demo (the pools, claims,
//     clusters, LoadBalancer Services and kube-vip ranges of the examples/ workspace) and writes its
//     kubeconfig;
//  4. copies examples/ to a temporary workspace, points the user setting `capiIpam.kubeconfig` at
//     that kubeconfig, installs the development folder as an extension, starts the VS Code server
//     (127.0.0.1 and a free port unless --host/--port say otherwise) and prints the URL to open;
//  5. on Ctrl-C (SIGINT) or SIGTERM stops the server and the sandbox with everything they started,
//     removes the temporary folder and exits 0.
// --check: starts everything, checks that the workbench URL answers 200, that the sandbox's API answers
// with the demo's pools, and that the extension is installed, then stops the same way and exits 0.
//
// On a loopback address the server runs without a connection token (like the e2e launcher); on any
// other address a random connection token is required, kept in a file (mode 0600) that is named, not printed.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CODE_SERVER_VERSION,
  ensureCodeServer,
  extensionId,
  groupAlive,
  installDevelopmentFolder,
  killAll,
  listExtensions,
  liveProcesses,
  prepareWorkspace,
  repo,
  seconds,
  serverMain,
  startCluster,
  startVsCodeServer,
  stopAll,
} from './vscodeServer.mjs';
import { exposureNotice, isLoopback } from './demoNotice.mjs';

const CHECK_TIMEOUT_MS = 15_000;
const log = (message) => console.log(`[demo] ${message}`);

class UsageError extends Error {}

function parseArgs(argv) {
  const options = { host: '127.0.0.1', port: 0, build: true, check: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--host') options.host = value();
    else if (flag === '--port') {
      options.port = Number(value());
      if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new UsageError('--port takes a port number (0: any free port)');
    } else if (flag === '--no-build') options.build = false;
    else if (flag === '--check') options.check = true;
    else if (flag === '--keep') options.keep = true;
    else if (flag === '--help' || flag === '-h') {
      console.log(
        'usage: node test/e2e/demo.mjs [--host ADDRESS (127.0.0.1)] [--port N (0: any free port)] [--no-build] [--check] [--keep (keep the workspace copy on stop)]',
      );
      process.exit(0);
    } else throw new UsageError(`unknown argument ${arg} (see --help)`);
  }
  return options;
}

/** The address a browser uses: the host itself, or this machine's name for a wildcard address. */
function browserHost(host) {
  if (host === '0.0.0.0' || host === '::') return hostname();
  return host.includes(':') ? `[${host}]` : host;
}

// ---------------------------------------------------------------------------------------------
// Checks (--check)
// ---------------------------------------------------------------------------------------------

/**
 * GET the workbench URL; with a connection token the server answers 302 + cookie first (as a browser
 * sees it), then the page. Resolves with the final status and content type.
 */
async function fetchWorkbench(url) {
  let response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
  if (response.status >= 300 && response.status < 400) {
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
    response = await fetch(new URL(response.headers.get('location') ?? '/', url), {
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
  }
  const body = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', body };
}

/** GET on the sandbox's API server with the kubeconfig's CA and token (never printed). */
function kubeGet(kubeconfigPath, path) {
  const YAML = createRequire(join(repo, 'package.json'))('yaml');
  const config = YAML.parse(readFileSync(kubeconfigPath, 'utf8'));
  const context = config.contexts.find((c) => c.name === config['current-context']).context;
  const cluster = config.clusters.find((c) => c.name === context.cluster).cluster;
  const user = config.users.find((u) => u.name === context.user).user;
  const url = new URL(path, cluster.server);
  return new Promise((ok, fail) => {
    const req = httpsRequest(
      url,
      {
        ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
        headers: { authorization: `Bearer ${user.token}`, accept: 'application/json' },
        timeout: CHECK_TIMEOUT_MS,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return fail(new Error(`GET ${url.pathname} answered ${res.statusCode}: ${text.slice(0, 200)}`));
          ok(JSON.parse(text));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname}: no answer within ${seconds(CHECK_TIMEOUT_MS)}`)));
    req.on('error', fail);
    req.end();
  });
}

async function check({ url, token, sandbox, extensionsDir, root }) {
  if (token) {
    const refused = await fetchWorkbench(url);
    if (refused.status < 400) throw new Error(`without the connection token the workbench URL answered ${refused.status}`);
    log(`check: without the connection token the workbench URL answers ${refused.status}`);
  }
  const page = await fetchWorkbench(token ? `${url}&tkn=${token}` : url);
  if (page.status !== 200) throw new Error(`the workbench URL answered ${page.status}, not 200`);
  if (!/text\/html/.test(page.type) || !/workbench/i.test(page.body)) throw new Error(`the workbench URL answered ${page.type}, not the workbench page`);
  log(`check: the workbench URL answers 200 (${page.body.length} bytes of HTML)`);

  const pools = [
    ...(await kubeGet(sandbox.kubeconfig, '/apis/ipam.cluster.x-k8s.io/v1alpha2/globalinclusterippools')).items,
    ...(await kubeGet(sandbox.kubeconfig, '/apis/ipam.cluster.x-k8s.io/v1alpha2/inclusterippools')).items,
  ];
  const services = (await kubeGet(sandbox.kubeconfig, '/api/v1/services')).items.filter((s) => s.spec?.type === 'LoadBalancer');
  if (pools.length === 0) throw new Error('the sandbox answers but holds no pool: the demo seed was not loaded');
  log(`check: the sandbox answers with ${pools.length} pools (${pools.map((p) => p.metadata.name).join(', ')}) and ${services.length} LoadBalancer Services`);

  const installed = listExtensions(extensionsDir, root);
  const id = extensionId();
  if (!installed.some((line) => line.toLowerCase().startsWith(`${id.toLowerCase()}@`)))
    throw new Error(`${id} is not installed in the server: ${installed.join(', ') || 'nothing'}`);
  log(`check: the server has ${installed.filter((line) => line.toLowerCase().startsWith(id.toLowerCase())).join(', ')} installed (development folder)`);
}

// ---------------------------------------------------------------------------------------------
// Stopping
// ---------------------------------------------------------------------------------------------

/** Live processes whose command line mentions the demo's folder (what a stop must leave none of). */
function processesUsing(root) {
  const found = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const cwd = (() => {
        try {
          return readlinkSync(`/proc/${pid}/cwd`);
        } catch {
          return '';
        }
      })();
      if (cmdline.includes(root) || cwd.startsWith(root)) found.push(`${pid} ${cmdline.slice(0, 120)}`);
    } catch {}
  }
  return found;
}

let stopping;
/** Stops the VS Code server and the sandbox with their process groups, removes the folder, verifies nothing is left. */
function shutdown(root, reason) {
  stopping ??= (async () => {
    const started = Date.now();
    log(`${reason}: stopping the VS Code server and the sandbox…`);
    const children = [...liveProcesses];
    await stopAll(5_000);
    const leftGroups = children.filter((child) => groupAlive(child)).map((child) => child.pid);
    const leftProcesses = root ? processesUsing(root) : [];
    if (root && keptWorkspace) {
      // Everything but the workspace copy (the edits made in the demo) goes.
      for (const entry of readdirSync(root)) if (join(root, entry) !== keptWorkspace) rmSync(join(root, entry), { recursive: true, force: true });
      log(`kept the workspace copy (with your edits) at ${keptWorkspace}`);
    } else if (root) rmSync(root, { recursive: true, force: true });
    if (leftGroups.length > 0 || leftProcesses.length > 0) {
      console.error(`[demo] processes left after the stop: groups ${leftGroups.join(', ') || 'none'}; ${leftProcesses.join('; ') || ''}`);
      killAll();
      return 1;
    }
    log(`stopped (${children.length} process groups, nothing left) in ${seconds(Date.now() - started)}`);
    return 0;
  })();
  return stopping;
}

// ---------------------------------------------------------------------------------------------

/** The demo's temporary folder (workspace copy, kubeconfig, server data), removed on stop. */
let root;
/** With --keep: the workspace copy, left in place on stop. */
let keptWorkspace;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const total = Date.now();

  // Signals from the first moment: a Ctrl-C during start-up stops what has started so far.
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (stopping) {
        // A second Ctrl-C: no more waiting.
        killAll();
        process.exit(1);
      }
      interrupted = true;
      shutdown(root, signal).then((code) => process.exit(code));
    });
  }
  const phase = async (name, fn) => {
    const started = Date.now();
    const result = await fn();
    log(`${name} (${seconds(Date.now() - started)})`);
    if (interrupted) await new Promise(() => {}); // the signal handler exits
    return result;
  };

  if (options.build) {
    await phase('npm run build', () => {
      const result = spawnSync('npm', ['run', 'build'], { cwd: repo, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}${result.stderr}`);
    });
  }
  if (!existsSync(serverMain()))
    log(`installing the VS Code server (code-server ${CODE_SERVER_VERSION}) into .vscode-test/headless/, once (about 1.5 minutes)…`);
  const how = await phase(`VS Code server ${CODE_SERVER_VERSION} install`, () => ensureCodeServer());

  root = mkdtempSync(join(tmpdir(), 'capi-ipam-demo-'));
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  const workspace = prepareWorkspace(root);
  if (options.keep) keptWorkspace = workspace;
  const sandbox = await phase('sandbox management cluster', () => startCluster(root));

  const extensionsDir = join(root, 'extensions');
  installDevelopmentFolder(extensionsDir);
  let connectionTokenFile;
  let token;
  if (!isLoopback(options.host)) {
    token = randomBytes(24).toString('hex');
    connectionTokenFile = join(root, 'connection-token');
    writeFileSync(connectionTokenFile, token, { mode: 0o600 });
  }
  const env = { ...process.env, HOME: home };
  delete env.KUBECONFIG;
  const server = await phase('VS Code server', () =>
    startVsCodeServer({
      root,
      trusted: true,
      env,
      host: options.host,
      port: options.port,
      extensionsDir,
      defaultFolder: workspace,
      connectionTokenFile,
      // The sandbox's kubeconfig (context "sandbox") as a user setting: a kubeconfig named in
      // workspace settings would first ask whether to trust it.
      userSettings: { 'workbench.startupEditor': 'readme', 'capiIpam.kubeconfig': sandbox.kubeconfig },
    }),
  );

  for (const [name, child] of [
    ['the VS Code server', server.child],
    ['the sandbox', sandbox.child],
  ]) {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`[demo] ${name} exited (${code ?? signal}) unexpectedly`);
      shutdown(root, 'failure').then(() => process.exit(1));
    });
  }

  const base = `http://${browserHost(options.host)}:${server.port}/`;
  const url = `${base}?folder=${encodeURIComponent(workspace)}`;
  log(`ready in ${seconds(Date.now() - total)} (VS Code server ${how === 'cached' ? 'from the cache' : 'installed'})`);

  if (options.check) {
    const local = `http://${isLoopback(options.host) ? browserHost(options.host) : '127.0.0.1'}:${server.port}/?folder=${encodeURIComponent(workspace)}`;
    try {
      await check({ url: local, token, sandbox, extensionsDir, root });
    } catch (error) {
      console.error(`[demo] check failed: ${error.message}`);
      await shutdown(root, 'check failed');
      process.exit(1);
    }
    const code = await shutdown(root, 'check done');
    log(`--check: ${code === 0 ? 'passed' : 'FAILED'} in ${seconds(Date.now() - total)}`);
    process.exit(code);
  }

  console.log('');
  console.log('  CAPI IPAM demo');
  console.log(`  Open in a browser:  ${url}`);
  if (token) console.log(`  (the server asks for its connection token: append &tkn=<the contents of ${connectionTokenFile}>)`);
  for (const line of exposureNotice(options.host)) console.log(line);
  console.log(`  Workspace:          ${workspace} (a copy of examples/; clusters/lab.yaml has no VIP yet: try the quick fix "Allocate IP from pool …")`);
  console.log(`  Management cluster: ${sandbox.url} (kubeconfig ${sandbox.kubeconfig}, context ${sandbox.context})`);
  console.log(
    options.keep
      ? '  Press Ctrl-C to stop (the workspace copy and your edits in it are kept: --keep).'
      : '  Press Ctrl-C to stop. The workspace copy is DELETED then, with your edits in it: run with --keep to keep it.',
  );
  console.log('');
}

main().catch(async (error) => {
  if (stopping) return; // interrupted while starting: the signal handler stops and exits
  console.error(`[demo] ${error instanceof UsageError ? error.message : (error?.stack ?? error)}`);
  if (!(error instanceof UsageError)) await shutdown(root, 'failure');
  process.exit(error instanceof UsageError ? 2 : 1);
});
