// The language server over stdio against the demo management cluster (and offline):
// - one pool ranking: the quick fixes, the ranked-pools request behind the Allocate command and
//   completion list the VIP pool first, the node pool last (labelled), never the InClusterIPPool of
//   another namespace;
// - the workspace's pool documents keep their checks when a live pool of the same name replaces them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { LspClient, ROOT, messageOf } from '../support/lspClient';
import { copyFixture } from '../support/workspaceCopy';

const ws = copyFixture();
const staging = ws.uri('clusters/staging.yaml');
let sb: Sandbox;
let live: LspClient;
let offline: LspClient;

before(async () => {
  sb = await startSandbox({ kubeconfig: join(mkdtempSync(join(tmpdir(), 'capi-ipam-rank-')), 'kubeconfig'), seed: [join(ROOT, 'test/fixtures/demo')] });
  live = await LspClient.start({ folder: ws.dir, settings: { kubeconfig: sb.kubeconfigPath } });
  offline = await LspClient.start({ folder: ws.dir, settings: { offline: true } });
  await live.waitForState('connected');
});

after(async () => {
  await live?.stop();
  await offline?.stop();
  await sb?.stop();
  ws.dispose();
});

async function fixesAtStagingVip(lsp: LspClient, prefix: string): Promise<string[]> {
  lsp.open(staging);
  const [dup] = await lsp.waitForDiagnostic(staging, 'duplicate-ip');
  assert.equal(lsp.textAt(staging, dup!.range), '10.10.0.61');
  const actions = await lsp.codeActions(staging, dup!.range, [dup!]);
  return actions.map((a) => a.title).filter((t) => t.startsWith(prefix));
}

test('live quick fixes: the VIP pool first, the node pool last and labelled, never lab/lab-pool', async () => {
  assert.deepEqual(await fixesAtStagingVip(live, 'Allocate IP from pool'), [
    'Allocate IP from pool vip-pool (37 free · VIP pool)',
    'Allocate IP from pool node-pool (249 free · node pool)',
  ]);
});

test("the Allocate command's list comes from the server in the same order", async () => {
  const pools = await live.request<{ id: string; role?: string; preferred?: boolean }[]>('capiIpam/rankedPools', {
    cluster: { name: 'staging', namespace: 'default' },
  });
  assert.deepEqual(
    pools.map((p) => `${p.id} ${p.role ?? '-'}`),
    ['GlobalInClusterIPPool//vip-pool vip', 'InClusterIPPool/default/node-pool node'],
  );
  const lab = await live.request<{ id: string }[]>('capiIpam/rankedPools', { cluster: { name: 'lab', namespace: 'lab' } });
  assert.deepEqual(
    lab.map((p) => p.id),
    ['GlobalInClusterIPPool//vip-pool', 'InClusterIPPool/lab/lab-pool'],
  );
});

test('offline quick fixes and completion follow the same order', async () => {
  assert.deepEqual(await fixesAtStagingVip(offline, 'Use next free address'), [
    'Use next free address of pool vip-pool: 10.10.0.16 (not reserved · VIP pool)',
    'Use next free address of pool node-pool: 10.10.1.2 (not reserved · node pool)',
  ]);
  const [dup] = offline.diagnosticsOf(staging, 'duplicate-ip');
  const items = await offline.completion(staging, dup!.range.start);
  const pools = [...new Set(items.sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.detail!.split(' · ')[0]))];
  assert.deepEqual(pools, ['GlobalInClusterIPPool vip-pool', 'InClusterIPPool default/node-pool']);
});

test('connected, a workspace pool document that a live pool shadows keeps its checks (open or not)', async () => {
  const pools = ws.uri('ipam/pools.yaml');
  const typo = (lsp: LspClient) => lsp.diagnosticsOf(pools, 'invalid-pool').filter((d) => lsp.textAt(pools, d.range) === 'excludeAddresses');
  const ids = (await live.request<{ id: string; source: string }[]>('capiIpam/pools')).map((p) => `${p.id} ${p.source}`);
  assert.ok(ids.includes('InClusterIPPool/lab/lab-pool live'), ids.join(', '));
  await live.waitFor(() => typo(live).length === 1, 10_000, 'the excludeAddresses typo on disk');
  live.open(pools);
  await live.waitFor(() => typo(live).length === 1, 10_000, 'the excludeAddresses typo in the open document');
  const [d] = typo(live);
  assert.match(messageOf(d!), /Did you mean `excludedAddresses`\?/);
  await offline.waitFor(() => typo(offline).length === 1, 10_000, 'the typo offline');
  assert.deepEqual(
    typo(offline).map((x) => x.range),
    [d!.range],
    'the same finding as offline',
  );
  live.close(pools);
});

type Lens = { range: { start: { line: number } }; command: { title: string; command: string; arguments?: unknown[] } };
const lenses = (lsp: LspClient, uri: string) => lsp.request<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
const lensLine = (lsp: LspClient, uri: string, l: Lens) => lsp.textOf(uri).split('\n')[l.range.start.line];

test('a CodeLens above each Cluster: its VIP, pool and claim with Release VIP, or No VIP with Allocate from the first ranked pool', async () => {
  const prod = ws.uri('clusters/prod.yaml');
  const lab = ws.uri('clusters/lab.yaml');
  live.open(prod);
  live.open(lab);
  const prodLenses = await lenses(live, prod);
  assert.deepEqual(
    prodLenses.map((l) => [lensLine(live, prod, l), l.command.title, l.command.command, l.command.arguments]),
    [
      ['  name: prod', 'VIP 10.10.0.20 · vip-pool · claimed · places disagree', '', undefined],
      ['  name: prod', 'Release VIP', 'capiIpam.release', [{ claim: { namespace: 'default', name: 'prod-control-plane-vip' } }]],
    ],
  );
  const [labLens, ...more] = await lenses(live, lab);
  assert.equal(more.length, 0);
  assert.equal(lensLine(live, lab, labLens!), '  name: lab');
  assert.equal(labLens!.command.title, 'No VIP · Allocate from vip-pool (37 free)');
  assert.deepEqual(labLens!.command.arguments, [{ uri: lab, cluster: { name: 'lab', namespace: 'lab' }, poolId: 'GlobalInClusterIPPool//vip-pool' }]);
  offline.open(lab);
  await offline.waitForDiagnostic(ws.uri('ipam/pools.yaml'), 'invalid-pool'); // the workspace scan is done
  assert.deepEqual(
    (await lenses(offline, lab)).map((l) => l.command.title),
    ['No VIP · next free in vip-pool: 10.10.0.16 (offline: the quick fix writes it, nothing reserves it)'],
  );
  const [missing] = await live.waitForDiagnostic(lab, 'missing-vip');
  assert.equal(missing!.severity, 3, 'information: it shows in Problems');
  for (const [lsp, uri] of [
    [live, prod],
    [live, lab],
    [offline, lab],
  ] as const)
    lsp.close(uri);
});

test('unreachable: hover says "cached, N min ago", allocation is disabled with a plain reason, Retry reconnects at once', async () => {
  live.open(staging);
  const [dup] = await live.waitForDiagnostic(staging, 'duplicate-ip');
  const hoverText = async () => JSON.stringify((await live.hover(staging, dup!.range.start))?.contents ?? '');
  assert.match(await hoverText(), /Pool \*\*GlobalInClusterIPPool vip-pool\*\* \(live\)/);
  await sb.stop();
  const down = await live.waitForState('unreachable', 30_000);
  assert.equal(typeof down.cachedAt, 'number');
  assert.doesNotMatch(down.reason ?? '', /ECONNREFUSED|https?:\/\//, 'no raw transport error nor URL');
  assert.match(down.reason ?? '', /refused the connection/);
  assert.match(await hoverText(), /Pool \*\*GlobalInClusterIPPool vip-pool\*\* \(cached, 0 min ago\)/);
  const allocations = (await live.codeActions(staging, dup!.range, [dup!])).filter((a) => a.title.startsWith('Allocate IP from pool'));
  assert.equal(allocations.length, 2);
  for (const a of allocations)
    assert.match(
      a.disabled?.reason ?? '',
      /^Allocation needs the management cluster, which is unreachable: .*refused the connection.*\(showing data cached, 0 min ago\)\.$/,
    );
  const params = { uri: staging, cluster: { name: 'staging', namespace: 'default' }, pool: { kind: 'GlobalInClusterIPPool', name: 'vip-pool' } };
  await assert.rejects(
    live.request('capiIpam/allocate', params),
    (e: Error) => /^Allocation needs the management cluster/.test(e.message) && !/ECONNREFUSED|https?:\/\//.test(e.message),
  );
  await sb.restart();
  // Without "Retry now" the watches wait out their backoff; with it they reconnect at once.
  await live.request('capiIpam/retry');
  const back = await live.waitForState('connected', 10_000);
  assert.equal(back.cachedAt, undefined);
  assert.match(await hoverText(), /\(live\)/);
  live.close(staging);
});
