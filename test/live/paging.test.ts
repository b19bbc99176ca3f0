// Management-cluster scale: lists are read in pages of 500 (limit/continue, as kubectl does), by the
// language server's list-then-watch and by the CLI's one-shot read, and nothing is lost between pages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { LspClient, ROOT } from '../support/lspClient';
import { PoolBlockRequest, type PoolBlockResult, PoolsRequest, type PoolView } from '../../server/src/protocol';

const G = 'ipam.cluster.x-k8s.io';
const COUNT = 1234;
const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-paging-'));
let sb: Sandbox;

before(async () => {
  sb = await startSandbox({ kubeconfig: join(dir, 'kubeconfig') });
  sb.create({
    apiVersion: `${G}/v1alpha2`,
    kind: 'InClusterIPPool',
    metadata: { name: 'big', namespace: 'default' },
    spec: { addresses: ['10.50.0.0/16'], prefix: 16, gateway: '10.50.0.1' },
  });
  for (let i = 0; i < COUNT; i++) {
    const address = `10.50.${10 + (i >> 8)}.${i & 255}`;
    sb.create({
      apiVersion: `${G}/v1beta1`,
      kind: 'IPAddress',
      metadata: { name: `a-${i}`, namespace: 'default' },
      spec: { address, prefix: 16, gateway: '10.50.0.1', claimRef: { name: `c-${i}` }, poolRef: { apiGroup: G, kind: 'InClusterIPPool', name: 'big' } },
    });
  }
});

after(() => sb.stop());

/** The non-watch list requests for IP addresses since the last reset. */
const addressLists = () => sb.requests.filter((r) => !r.watch && r.method === 'GET' && r.path.endsWith('/ipaddresses'));

test('the language server lists in pages of 500 and sees every address', async () => {
  sb.resetRequests();
  const lsp = await LspClient.start({ folder: dir, settings: { kubeconfig: sb.kubeconfigPath } });
  try {
    await lsp.waitForState('connected');
    const pool = (await lsp.request<PoolView[]>(PoolsRequest)).find((p) => p.name === 'big')!;
    assert.equal(pool.used, String(COUNT));
    // Too many for one list in the Pools tree: /24 blocks with counts, each block's addresses on expansion.
    assert.deepEqual(
      pool.allocationBlocks!.map((b) => `${b.block} ${b.count}`),
      ['10.50.10.0/24 256', '10.50.11.0/24 256', '10.50.12.0/24 256', '10.50.13.0/24 256', '10.50.14.0/24 210'],
    );
    const last = await lsp.request<PoolBlockResult>(PoolBlockRequest, { id: pool.id, block: '10.50.14.0/24' });
    assert.deepEqual(
      last.allocations!.slice(-2).map((a) => `${a.address} ${a.namespace}/${a.name}`),
      ['10.50.14.208 default/a-1232', '10.50.14.209 default/a-1233'],
    );
    const pages = addressLists();
    assert.deepEqual(
      pages.map((r) => r.query.limit),
      ['500', '500', '500'],
    );
    assert.deepEqual(
      pages.map((r) => r.query.continue !== undefined),
      [false, true, true],
    );
  } finally {
    await lsp.stop();
  }
});

test('capi-ipam pools --kubeconfig reads the same pages', async () => {
  sb.resetRequests();
  // Asynchronously: the sandbox answers from this very process.
  const r = await promisify(execFile)(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'pools', dir, '--kubeconfig', sb.kubeconfigPath, '--format', 'json']);
  const rows = JSON.parse(r.stdout) as { name: string; used: string }[];
  assert.equal(rows.find((p) => p.name === 'big')!.used, String(COUNT));
  assert.equal(addressLists().length, 3);
});

test('the sandbox pages like kube-apiserver: key order, one resourceVersion, a bad token is a 400', async () => {
  const url = (q: string) => `/apis/${G}/v1beta1/namespaces/default/ipaddresses?${q}`;
  const first = await fetchJson(url('limit=2'));
  assert.deepEqual(
    first.items.map((o: { metadata: { name: string } }) => o.metadata.name),
    ['a-0', 'a-1'],
  );
  const second = await fetchJson(url(`limit=2&continue=${first.metadata.continue}`));
  assert.deepEqual(
    second.items.map((o: { metadata: { name: string } }) => o.metadata.name),
    ['a-10', 'a-100'],
  );
  assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion);
  const bad = await fetchRaw(url('limit=2&continue=%%%'));
  assert.equal(bad.status, 400);
});

function fetchRaw(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(sb.url + path, { ca: sb.caPem, headers: { Authorization: `Bearer ${sb.token}` } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function fetchJson(path: string) {
  const r = await fetchRaw(path);
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body);
}
