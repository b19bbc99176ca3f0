// Issue 10's figures: our language server against yaml-language-server (the server every Kubernetes user
// of VS Code already runs), both over stdio, interleaved run by run on the same text, the peer with a
// small local schema and no network; and the CLI against `node -e 0` and a bare `yaml` parse process.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { bigFile, clusterDocs, POOLS } from './generate';
import { load, machine, median, percentile, writeSection } from './report';

const ROOT = join(import.meta.dirname ?? '.', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EDITS = Number(process.env.BENCH_EDITS ?? 21);
/** Clusters of the big file (500: 100,022 lines); smaller for a quick check of the script, not for figures. */
const CLUSTERS = Number(process.env.BENCH_PEER_CLUSTERS ?? 500);

/** A language server over stdio, seen as an editor sees it: publishes per URI. */
class Server {
  private readonly published = new Map<string, number>();
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();

  private constructor(
    readonly name: string,
    private readonly proc: ReturnType<typeof spawn>,
    private readonly rpc: ProtocolConnection,
  ) {}

  static async start(name: string, args: string[], folder: string | null, settings: (section: string) => unknown, init: unknown): Promise<Server> {
    const proc = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    const rpc = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const server = new Server(name, proc, rpc);
    rpc.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => {
      server.published.set(p.uri, (server.published.get(p.uri) ?? 0) + 1);
      for (const w of server.waiters) w();
    });
    rpc.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => settings(i.section ?? '')));
    rpc.onRequest('client/registerCapability', () => null);
    rpc.onRequest('window/workDoneProgress/create', () => null);
    rpc.listen();
    const uri = folder ? pathToFileURL(folder).toString() : null;
    await rpc.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: uri ? [{ uri, name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true } },
      },
      initializationOptions: init,
    });
    await rpc.sendNotification('initialized', {});
    return server;
  }

  private until(check: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const test = () => {
        if (!check()) return;
        this.waiters = this.waiters.filter((w) => w !== test);
        resolve();
      };
      this.waiters.push(test);
      test();
    });
  }

  /** ms from the notification to the next publish for `uri`. */
  async timed(uri: string, send: () => void): Promise<number> {
    const before = this.published.get(uri) ?? 0;
    const t = performance.now();
    send();
    await this.until(() => (this.published.get(uri) ?? 0) > before);
    return performance.now() - t;
  }

  open(uri: string, text: string): Promise<number> {
    this.versions.set(uri, 1);
    return this.timed(uri, () => void this.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } }));
  }

  change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    return this.timed(uri, () => void this.rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] }));
  }

  /** ms from a change to the answer of a hover request sent right after it (the editor's hover while typing); resolves once the change is published. */
  async hoverAfterChange(uri: string, text: string, position: { line: number; character: number }): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const before = this.published.get(uri) ?? 0;
    const t = performance.now();
    void this.rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    await this.rpc.sendRequest('textDocument/hover', { textDocument: { uri }, position });
    const took = performance.now() - t;
    // The edit's diagnostics too, so that the next change starts from a published state.
    await this.until(() => (this.published.get(uri) ?? 0) > before);
    return took;
  }

  /** Resolves when every uri of `uris` has been published at least once. */
  allPublished(uris: string[]): Promise<void> {
    return this.until(() => uris.every((u) => this.published.has(u)));
  }

  /** Peak and current resident memory, MiB (Linux). */
  memory(): { peak: number; now: number } {
    const status = readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
  }

  async stop(): Promise<void> {
    await this.rpc.sendRequest('shutdown').catch(() => undefined);
    void this.rpc.sendNotification('exit');
    await new Promise((r) => (this.proc.exitCode !== null ? r(undefined) : this.proc.on('exit', r)));
    this.rpc.dispose();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-peer-'));
  const schemaPath = join(dir, 'k8s-object.schema.json');
  writeFileSync(
    schemaPath,
    JSON.stringify({
      type: 'object',
      required: ['apiVersion', 'kind'],
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } },
    }),
  );
  const peerSettings = (section: string) =>
    section === 'yaml'
      ? {
          validate: true,
          hover: true,
          completion: true,
          format: { enable: false },
          schemaStore: { enable: false },
          schemas: { [pathToFileURL(schemaPath).toString()]: '*.yaml' },
          maxItemsComputed: 5000,
        }
      : section === 'http'
        ? { proxy: '', proxyStrictSSL: false }
        : {};

  const ours = (folder: string | null) =>
    Server.start('capi-ipam', [join(ROOT, 'dist', 'server.js'), '--stdio'], folder, () => ({ offline: true }), { trusted: true });
  // Both peers of issue 20: yaml-language-server 1.x (the VS Code YAML extension's) and 2.x.
  const PEERS = ['yaml-language-server', 'yaml-language-server-2'];
  const peerVersion = (pkg: string) => JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version as string;
  const peerNames = PEERS.map((pkg) => `yaml-language-server ${peerVersion(pkg)}`);
  const peerOf = (i: number) => (folder: string | null) =>
    Server.start(peerNames[i]!, [join(ROOT, 'node_modules', PEERS[i]!, 'bin', 'yaml-language-server'), '--stdio'], folder, peerSettings, {});
  const peers = PEERS.map((_, i) => peerOf(i));
  const peer = peers[0]!;

  // One 100k-line file: 500 clusters × 4 documents, plus the pools.
  const big = POOLS + '---\n' + bigFile(CLUSTERS);
  const lines = big.split('\n').length;
  const bigUri = pathToFileURL(join(dir, 'big.yaml')).toString();
  // The edit flips cluster-251's kube-vip address, so both servers must publish something new each time.
  const at = big.indexOf('value: ', big.indexOf('name: address', big.indexOf(`name: cluster-${Math.floor(CLUSTERS / 2) + 1}\n`))) + 'value: '.length;
  const mismatched = big.slice(0, at) + '10.255.255.1' + big.slice(big.indexOf('\n', at));
  const edited = (i: number) => (i % 2 ? mismatched : big);
  if (edited(1) === big) throw new Error('the edit does not apply to the generated file');

  const loads = [load()];

  // Opening files of about 1,000, 10,000 and 100,000 lines, ours and both peers in turn, run by run.
  const sizes = [5, 50, 500]
    .filter((n) => n <= CLUSTERS)
    .map((clusters) => {
      // Each file holds a finding (a kube-vip mismatch every 50th cluster; one more below 50): a server publishes nothing for a clean new file.
      const text = POOLS + '---\n' + bigFile(clusters) + (clusters < 49 ? '---\n' + clusterDocs(1_000_000).join('---\n') : '');
      return { text, lines: text.split('\n').length, uri: pathToFileURL(join(dir, `open-${clusters}.yaml`)).toString() };
    });
  const opens = sizes.map(() => new Map<string, number[]>());
  for (let run = 0; run < RUNS; run++) {
    for (const [k, size] of sizes.entries()) {
      const order = [ours, ...peers];
      for (const start of run % 2 ? order.reverse() : order) {
        const s = await start(null);
        const list = opens[k]!.get(s.name) ?? [];
        list.push(await s.open(size.uri, size.text));
        opens[k]!.set(s.name, list);
        await s.stop();
      }
    }
  }
  const P1 = peerNames[0]!;
  const opened: Record<string, number[]> = { 'capi-ipam': [], [P1]: [] };
  // The bare parse of the same text, in this process, between the opens (the open target's floor).
  const bareOpen: number[] = [];
  const edits: Record<string, number[]> = { 'capi-ipam': [], [P1]: [] };
  const peaks: Record<string, number[]> = { 'capi-ipam': [], [P1]: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const start of run % 2 ? [peer, ours] : [ours, peer]) {
      const s = await start(null);
      opened[s.name]!.push(await s.open(bigUri, big));
      const t = performance.now();
      parseAllDocuments(big);
      bareOpen.push(performance.now() - t);
      if (run === 0) for (let i = 1; i <= EDITS; i++) edits[s.name]!.push(await s.change(bigUri, edited(i)));
      peaks[s.name]!.push(s.memory().peak);
      await s.stop();
    }
  }

  // Hover after an edit: a hover request sent right after the change, at the edited cluster's VSphereCluster host.
  const hoverAt =
    big.indexOf('host: ', big.indexOf('kind: VSphereCluster', big.indexOf(`name: cluster-${Math.floor(CLUSTERS / 2) + 1}\n`))) + 'host: '.length + 2;
  const hoverPos = { line: big.slice(0, hoverAt).split('\n').length - 1, character: hoverAt - big.lastIndexOf('\n', hoverAt - 1) - 1 };
  const hovers = new Map<string, number[]>();
  for (const start of [ours, ...peers]) {
    const s = await start(null);
    await s.open(bigUri, big);
    const list: number[] = [];
    for (let i = 1; i <= EDITS; i++) {
      list.push(await s.hoverAfterChange(bigUri, edited(i), hoverPos));
      await s.change(bigUri, edited(++i)); // and back, with diagnostics awaited, so that every hover follows a fresh edit
    }
    hovers.set(s.name, list);
    await s.stop();
  }
  // The edit → diagnostics figures against the second peer (the first's are measured with the opens above).
  for (const start of peers.slice(1)) {
    const s = await start(null);
    await s.open(bigUri, big);
    edits[s.name] = [];
    for (let i = 1; i <= EDITS; i++) edits[s.name]!.push(await s.change(bigUri, edited(i)));
    await s.stop();
  }

  // Memory over 1,000 edits (ours): resident size after the open and after the edits.
  const mem = await ours(null);
  await mem.open(bigUri, big);
  const afterOpen = mem.memory();
  for (let i = 1; i < 1000; i++) void mem.change(bigUri, edited(i));
  await mem.change(bigUri, edited(1000));
  const afterEdits = mem.memory();
  await mem.stop();

  // 500 files of one cluster each, scanned from the folder (ours) / opened one by one (the peer has no
  // workspace scan), against the same content in one file (ours).
  const wsDir = join(dir, 'ws');
  spawnSync('mkdir', ['-p', wsDir]);
  writeFileSync(join(wsDir, 'pools.yaml'), POOLS);
  const files = Array.from({ length: 500 }, (_, i) => clusterDocs(i + 2).join('---\n'));
  files.forEach((f, i) => writeFileSync(join(wsDir, `c${i}.yaml`), f));
  const withFindings = files
    .map((f, i) => ({ f, uri: pathToFileURL(join(wsDir, `c${i}.yaml`)).toString() }))
    .filter((_, i) => (i + 2) % 50 === 0)
    .map((x) => x.uri);
  const oneFile = POOLS + '---\n' + files.join('---\n');
  // Both from the server's start: the scan's reads are part of the 500-file figure, the one file's
  // transfer is part of the other.
  const wsOurs: number[] = [];
  const wsOne: number[] = [];
  const wsPeer: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let t = performance.now();
    const a = await ours(wsDir);
    await a.allPublished(withFindings);
    wsOurs.push(performance.now() - t);
    await a.stop();
    t = performance.now();
    const b = await ours(null);
    await b.open(pathToFileURL(join(dir, 'one.yaml')).toString(), oneFile);
    wsOne.push(performance.now() - t);
    await b.stop();
    const c = await peer(null);
    t = performance.now();
    await Promise.all(files.map((f, i) => c.open(pathToFileURL(join(wsDir, `c${i}.yaml`)).toString(), f)));
    wsPeer.push(performance.now() - t);
    await c.stop();
  }

  // The CLI as a process: start-up on a 20-line file, and the 100k-line file against a bare parse.
  const small = join(dir, 'small.yaml');
  writeFileSync(small, clusterDocs(7)[0]!.split('\n').slice(0, 20).join('\n') + '\n');
  writeFileSync(join(dir, 'big.yaml'), big);
  const proc = (args: string[]) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return performance.now() - t;
  };
  const cli = join(ROOT, 'dist', 'cli.js');
  const bare = `require(${JSON.stringify(join(ROOT, 'node_modules', 'yaml'))}).parseAllDocuments(require('fs').readFileSync(${JSON.stringify(join(dir, 'big.yaml'))}, 'utf8'))`;
  const nodeNothing: number[] = [];
  const cliSmall: number[] = [];
  const bareParse: number[] = [];
  const cliBig: number[] = [];
  for (let run = 0; run < RUNS * 2; run++) {
    nodeNothing.push(proc(['-e', '0']));
    cliSmall.push(proc([cli, 'check', small]));
    bareParse.push(proc(['-e', bare]));
    cliBig.push(proc([cli, 'check', join(dir, 'big.yaml'), '--fail-on', 'none']));
  }
  rmSync(dir, { recursive: true, force: true });
  loads.push(load());

  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
  const [o, p, bo] = [median(opened['capi-ipam']!), median(opened[P1]!), median(bareOpen)];
  const [peak, peerPeak] = [median(peaks['capi-ipam']!), median(peaks[P1]!)];
  const faster = (q: (xs: number[]) => number, label: string) =>
    peerNames.map((n) => {
      const [ourQ, peerQ] = [q(edits['capi-ipam']!), q(edits[n]!)];
      return [
        `one-line edit → diagnostics, ${label}, against ${n}`,
        ms(ourQ),
        `peer ${ms(peerQ)}`,
        `${(peerQ / ourQ).toFixed(0)}× faster`,
        `≥ 30× faster: ${verdict(peerQ / ourQ >= 30)}`,
      ];
    });
  const openRows = sizes.flatMap((size, k) => {
    const mine = median(opens[k]!.get('capi-ipam')!);
    return peerNames.map((n) => {
      const theirs = median(opens[k]!.get(n)!);
      return [
        `open a ${size.lines.toLocaleString('en')}-line file → diagnostics, against ${n}`,
        ms(mine),
        `peer ${ms(theirs)}`,
        ratio(mine, theirs),
        `≤ 0.5× the peer: ${verdict(mine <= 0.5 * theirs)}`,
      ];
    });
  });
  const h = (n: string) => median(hovers.get(n)!);
  const hoverRow = [
    'hover after a one-line edit (change sent, hover sent at once, hover answered), p50',
    ms(h('capi-ipam')),
    peerNames.map((n) => `${n} ${ms(h(n))}`).join('; '),
    `${percentile(hovers.get('capi-ipam')!, 95).toFixed(0)} ms at p95`,
    `≤ 20 ms: ${verdict(h('capi-ipam') <= 20)}`,
  ];
  const [w, w1, wp] = [median(wsOurs), median(wsOne), median(wsPeer)];
  const [n0, cs, bp, cb] = [median(nodeNothing), median(cliSmall), median(bareParse), median(cliBig)];
  const rows = [
    ...openRows,
    [
      `open a ${lines.toLocaleString('en')}-line file → diagnostics (a new server per run)`,
      ms(o),
      `peer ${ms(p)}`,
      ratio(o, p),
      `≤ 0.5× the peer: ${verdict(o <= 0.5 * p)}`,
    ],
    ['same, against a bare parse', ms(o), `\`yaml\` \`parseAllDocuments\` of the text, in-process ${ms(bo)}`, ratio(o, bo), `≤ 1.0×: ${verdict(o <= bo)}`],
    ...faster(median, 'p50'),
    ...faster((xs) => percentile(xs, 95), 'p95'),
    hoverRow,
    [
      '500-file workspace → all diagnostics',
      ms(w),
      `same content in 1 file ${ms(w1)}; peer (500 opened) ${ms(wp)}`,
      ratio(w, w1),
      `≤ 1.2× one file: ${verdict(w <= 1.2 * w1)}`,
    ],
    ['CLI `check` on a 20-line file (process)', ms(cs), `\`node -e 0\` ${ms(n0)}`, ratio(cs, n0), `≤ 1.5×: ${verdict(cs <= 1.5 * n0)}`],
    [
      `CLI \`check\` on the ${lines.toLocaleString('en')}-line file (process)`,
      ms(cb),
      `bare \`yaml\` parse process ${ms(bp)}`,
      ratio(cb, bp),
      `≤ 1.0×: ${verdict(cb <= bp)}`,
    ],
    [
      'peak RSS, big file open (server)',
      `${peak.toFixed(0)} MiB`,
      `peer ${peerPeak.toFixed(0)} MiB`,
      ratio(peak, peerPeak),
      `≤ 150 MiB: ${verdict(peak <= 150)}`,
    ],
    [
      'RSS after 1,000 edits (server)',
      `${afterEdits.now.toFixed(0)} MiB`,
      `after the open ${afterOpen.now.toFixed(0)} MiB; peak over the edits ${afterEdits.peak.toFixed(0)} MiB`,
      ratio(afterEdits.now, afterOpen.now),
      `≤ 150 MiB, stable: ${verdict(afterEdits.now <= 150 && afterEdits.peak <= 150)}`,
    ],
  ];
  const body = `\`bench/peer.ts\`: ${peerNames.join(' and ')}, each with a
one-schema configuration (no schema store, no network), both servers over stdio, interleaved; medians of
${RUNS} runs (edits: ${EDITS}); CLI figures are whole processes, medians of ${RUNS * 2}.
Machine: ${machine()}; load average ${loads.join(' → ')} (start → end). Date: ${new Date().toISOString().slice(0, 10)}.
The 500-file and one-file figures both count from the server's start.

| measurement | capi-ipam | reference | ratio | target |
|---|---|---|---|---|
${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}
`;
  writeSection('## Against the peer (issue 10)', body);
  process.stdout.write(body);
}

void main();
