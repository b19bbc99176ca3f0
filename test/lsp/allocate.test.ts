// "Allocate IP" end to end: the language server (child process, stdio) claims from each backend's
// IPAM provider, waits for the IPAddress, and applies one edit; every failure path leaves no claim.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { LspClient } from '../support/lspClient';
import { copyFixture } from '../support/workspaceCopy';
import type { ReleaseResult, ReleaseTarget } from '../../server/src/protocol';
import { LineIndex } from '../../server/src/engine/text/positions';

const G = 'ipam.cluster.x-k8s.io';
let ws: ReturnType<typeof copyFixture>;
let lab: string;
let sb: Backend;
let lsp: LspClient;

const claims = async () => (await sb.rest.list(`${G}/v1beta2`, 'IPAddressClaim')).map((c) => `${c.metadata.namespace}/${c.metadata.name}`);
const get = (kind: string, ns: string, name: string) => sb.get(`${G}/v1beta2`, kind, ns, name);
const pool = (name: string, addresses: string[], annotations?: Record<string, string>) => ({
  apiVersion: `${G}/v1alpha2`,
  kind: 'GlobalInClusterIPPool',
  metadata: { name, ...(annotations ? { annotations } : {}) },
  spec: { addresses, prefix: 24, gateway: '10.20.0.1' },
});
type Result = { address: string; claim: { name: string; namespace: string } };
const allocate = (uri: string, cluster: string, namespace: string, poolName: string, token?: CancellationTokenSource): Promise<Result> => {
  const params = { uri, cluster: { name: cluster, namespace }, pool: { kind: 'GlobalInClusterIPPool', name: poolName } };
  return (token ? lsp.rpc.sendRequest('capiIpam/allocate', params, token.token) : lsp.rpc.sendRequest('capiIpam/allocate', params)) as Promise<Result>;
};

for (const backend of backendNames())
  describe(`allocation against the ${backend.name} backend`, { skip: backend.skip }, () => {
    before(async () => {
      ws = copyFixture();
      lab = ws.uri('clusters/lab.yaml');
      sb = await startBackend(backend.name, { kubeconfig: join(mkdtempSync(join(tmpdir(), 'capi-ipam-alloc-')), 'kubeconfig') });
      await sb.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab' } });
      await sb.create(pool('sandbox-vips', ['10.20.0.10-10.20.0.99']));
      lsp = await LspClient.start({
        folder: ws.dir,
        settings: { kubeconfig: sb.kubeconfigPath, defaultPool: 'sandbox-vips', allocate: { timeoutSeconds: 3, writeClaim: true } },
      });
      await lsp.waitForState('connected');
      await lsp.waitForDiagnostic(lab, 'missing-vip');
    });

    after(async () => {
      await lsp?.stop();
      await sb?.stop();
      ws.dispose();
    });

    test('code actions offer "Allocate IP from pool" for live pools, the default pool first and preferred', async () => {
      lsp.open(lab);
      const [missing] = await lsp.waitForDiagnostic(lab, 'missing-vip');
      const actions = await lsp.codeActions(lab, missing!.range, [missing!]);
      const allocs = actions.filter((a) => a.title.startsWith('Allocate IP from pool'));
      assert.equal(allocs[0]?.title, 'Allocate IP from pool sandbox-vips (90 free)');
      assert.equal(allocs[0]?.isPreferred, true);
      assert.equal(allocs[0]?.command?.command, 'capiIpam.allocate');
      assert.deepEqual(allocs[0]?.command?.arguments?.[0], {
        uri: lab,
        cluster: { name: 'lab', namespace: 'lab' },
        poolId: 'GlobalInClusterIPPool//sandbox-vips',
      });
      assert.equal(
        actions.some((a) => a.title.startsWith('Use next free address')),
        false,
        'no offline suggestion when a cluster is connected',
      );
    });

    test("allocation writes the provider's address into every VIP place and the claim into the file, in one edit", async () => {
      const before = lsp.appliedEdits.length;
      const result = await allocate(lab, 'lab', 'lab', 'sandbox-vips');
      assert.equal(result.address, '10.20.0.10');
      assert.deepEqual(result.claim, { name: 'lab-control-plane-vip', namespace: 'lab' });
      assert.equal(lsp.appliedEdits.length, before + 1);
      const text = lsp.textOf(lab);
      assert.equal(text.match(/10\.20\.0\.10/g)?.length, 4, text); // Cluster, VSphereCluster, kube-vip address, certSANs
      assert.match(
        text,
        /---\napiVersion: ipam\.cluster\.x-k8s\.io\/v1beta2\nkind: IPAddressClaim\nmetadata:\n  name: lab-control-plane-vip\n  namespace: lab\n/,
      );
      assert.match(text, /capi-ipam\.dev\/created-by: capi-ipam/);
      const claim = await get('IPAddressClaim', 'lab', 'lab-control-plane-vip');
      assert.ok(claim);
      assert.equal((await get('IPAddress', 'lab', 'lab-control-plane-vip'))?.spec.address, '10.20.0.10');
      await lsp.waitFor(() => lsp.diagnosticsOf(lab).filter((d) => d.code !== 'out-of-pool').length === 0 || undefined, 10_000, 'lab clean');
      assert.deepEqual(lsp.diagnosticsOf(lab, 'ip-in-use'), [], 'its own claim is not a conflict');
    });

    test("release resolves the claim holding the cluster's VIP, deletes exactly it, and is no quick fix", async () => {
      const text = lsp.textOf(lab);
      const at = new LineIndex(text);
      const vip = text.indexOf('10.20.0.10');
      const actions = await lsp.codeActions(lab, { start: at.position(vip), end: at.position(vip + 10) });
      assert.deepEqual(
        actions.filter((a) => /release/i.test(a.title)),
        [],
        'Release is never a quick fix',
      );
      const target = await lsp.request<ReleaseTarget>('capiIpam/releaseTarget', { cluster: { name: 'lab', namespace: 'lab' } });
      const claim = (await get('IPAddressClaim', 'lab', 'lab-control-plane-vip'))!;
      assert.deepEqual(target, {
        claim: { namespace: 'lab', name: 'lab-control-plane-vip' },
        uid: claim.metadata.uid,
        ours: true,
        address: '10.20.0.10',
        pool: 'GlobalInClusterIPPool sandbox-vips',
        cluster: 'lab',
      });
      const r = await lsp.request<ReleaseResult>('capiIpam/release', { claim: target.claim, uid: target.uid });
      assert.deepEqual(r.released.claim, { namespace: 'lab', name: 'lab-control-plane-vip' });
      await sb.waitFor(async () => !(await get('IPAddress', 'lab', 'lab-control-plane-vip')), 10_000);
      await lsp.untilInventory(
        async () =>
          !(await lsp.request<{ allocations: { claim?: string }[] }[]>('capiIpam/pools')).some((p) =>
            p.allocations.some((x) => x.claim === 'lab-control-plane-vip'),
          ),
        10_000,
        'the release seen live',
      );
      await assert.rejects(
        lsp.request('capiIpam/releaseTarget', { cluster: { name: 'lab', namespace: 'lab' } }),
        /no IPAddressClaim holds the VIP of cluster lab\/lab: nothing to release/,
      );
      lsp.close(lab);
    });

    /** A scratch cluster file in the workspace: one Cluster + VSphereCluster without a VIP. */
    function scratch(name: string, namespace = 'default'): string {
      const path = join(ws.dir, 'clusters', `${name}.yaml`);
      writeFileSync(
        path,
        `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  controlPlaneEndpoint:
    host: ""
    port: 6443
  infrastructureRef:
    kind: VSphereCluster
    name: ${name}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  controlPlaneEndpoint:
    host: ""
    port: 6443
`,
      );
      const uri = pathToFileURL(path).toString();
      lsp.open(uri);
      return uri;
    }

    /** Deleted, or being deleted (CAIP keeps a claim of a paused pool Terminating until the pool resumes). */
    async function assertNoClaimLeft(name: string) {
      const gone = async () => {
        const c = await get('IPAddressClaim', 'default', `${name}-control-plane-vip`);
        return !c || !!c.metadata.deletionTimestamp;
      };
      await sb.waitFor(gone, 10_000).catch(() => undefined);
      assert.ok(await gone(), `claim of ${name} left behind: ${await claims()}`);
    }

    test('timeout (paused pool): the claim is deleted', async () => {
      await sb.create(pool('paused', ['10.20.1.10-10.20.1.20'], { 'cluster.x-k8s.io/paused': '' }));
      const uri = scratch('t1');
      await lsp.waitFor(() => lsp.diagnostics.has(uri) || undefined, 5000, 'scratch analysed');
      await assert.rejects(allocate(uri, 't1', 'default', 'paused'), /did not allocate an address .* within 3 s.*was deleted/s);
      await assertNoClaimLeft('t1');
    });

    test('cancel: the claim is deleted', async () => {
      const uri = scratch('t2');
      const cts = new CancellationTokenSource();
      const pending = allocate(uri, 't2', 'default', 'paused', cts);
      await sb.waitFor(() => get('IPAddressClaim', 'default', 't2-control-plane-vip'), 10_000);
      cts.cancel();
      await assert.rejects(pending);
      await assertNoClaimLeft('t2');
    });

    test('the edit is rejected (document changed): the claim is deleted', async () => {
      const uri = scratch('t3');
      lsp.acceptEdit = () => false;
      try {
        await assert.rejects(allocate(uri, 't3', 'default', 'sandbox-vips'), /edit was not applied.*was deleted/s);
      } finally {
        lsp.acceptEdit = () => true;
      }
      await assertNoClaimLeft('t3');
    });

    test('the file is closed during the allocation: the claim is deleted', async () => {
      const uri = scratch('t4');
      const pending = allocate(uri, 't4', 'default', 'paused');
      await sb.waitFor(() => get('IPAddressClaim', 'default', 't4-control-plane-vip'), 10_000);
      lsp.close(uri);
      const p = (await sb.get(`${G}/v1alpha2`, 'GlobalInClusterIPPool', undefined, 'paused'))!;
      delete p.metadata.annotations['cluster.x-k8s.io/paused'];
      const put = await sb.rest.request('PUT', await sb.rest.path(`${G}/v1alpha2`, 'GlobalInClusterIPPool', undefined, 'paused'), p);
      assert.equal(put.status, 200, put.body?.message);
      await assert.rejects(pending, /was closed during the allocation.*was deleted/s);
      await assertNoClaimLeft('t4');
    });

    test('pool exhausted: a clear message with the pool and its counts, and no claim left', async () => {
      await sb.create(pool('tiny', ['10.20.2.10']));
      await sb.create({
        apiVersion: `${G}/v1beta2`,
        kind: 'IPAddressClaim',
        metadata: { name: 'holder', namespace: 'default' },
        spec: { poolRef: { apiGroup: G, kind: 'GlobalInClusterIPPool', name: 'tiny' } },
      });
      await sb.waitFor(() => get('IPAddress', 'default', 'holder'), 10_000);
      const uri = scratch('t5');
      await assert.rejects(allocate(uri, 't5', 'default', 'tiny'), /pool GlobalInClusterIPPool tiny is exhausted \(1 used of 1\)/);
      await assertNoClaimLeft('t5');
    });

    test("the cluster's claim already holds an address: allocation says so, offers to keep it, and never deletes it", async () => {
      await sb.create({
        apiVersion: `${G}/v1beta2`,
        kind: 'IPAddressClaim',
        metadata: { name: 't7-control-plane-vip', namespace: 'default' },
        spec: { poolRef: { apiGroup: G, kind: 'GlobalInClusterIPPool', name: 'sandbox-vips' } },
      });
      const held = await sb.waitFor(() => get('IPAddress', 'default', 't7-control-plane-vip'), 10_000);
      const uid = (await get('IPAddressClaim', 'default', 't7-control-plane-vip'))!.metadata.uid;
      const address: string = held.spec.address;
      const uri = scratch('t7');
      await lsp.waitFor(() => lsp.diagnostics.has(uri) || undefined, 5000, 'scratch analysed');
      const params = { uri, cluster: { name: 't7', namespace: 'default' }, pool: { kind: 'GlobalInClusterIPPool', name: 'sandbox-vips' } };
      const message = `IPAddressClaim default/t7-control-plane-vip already holds ${address} from GlobalInClusterIPPool sandbox-vips: keep it, or release it first`;
      await assert.rejects(lsp.rpc.sendRequest('capiIpam/allocate', params), (e: { message: string; data?: unknown }) => {
        assert.equal(e.message, message);
        assert.deepEqual(e.data, {
          held: { claim: { name: 't7-control-plane-vip', namespace: 'default' }, address, pool: { kind: 'GlobalInClusterIPPool', name: 'sandbox-vips' } },
        });
        return true;
      });
      assert.ok(
        lsp.logs.some((l) => l.includes(`allocation for default/t7 from GlobalInClusterIPPool sandbox-vips failed: ${message}`)),
        'the Output channel has it',
      );
      // Keep, but the edit fails: the claim this allocation did not create is kept, and the message says so.
      lsp.acceptEdit = () => false;
      try {
        await assert.rejects(
          lsp.rpc.sendRequest('capiIpam/allocate', { ...params, keep: true }),
          new RegExp(
            `^Error: the edit was not applied \\(document changed\\); the IPAddressClaim default/t7-control-plane-vip was kept: it held ${address.replaceAll('.', '\\.')} before this allocation$`,
          ),
        );
      } finally {
        lsp.acceptEdit = () => true;
      }
      assert.equal((await get('IPAddressClaim', 'default', 't7-control-plane-vip'))?.metadata.uid, uid, 'the same claim, not deleted');
      const kept = (await lsp.rpc.sendRequest('capiIpam/allocate', { ...params, keep: true })) as Result;
      assert.deepEqual(kept, { address, claim: { name: 't7-control-plane-vip', namespace: 'default' } });
      assert.match(lsp.textOf(uri), new RegExp(`host: "?${address.replaceAll('.', '\\.')}"?\\n    port: 6443\\n  infrastructureRef`));
      assert.doesNotMatch(lsp.textOf(uri), /kind: IPAddressClaim/, 'the existing claim is not appended again');
      assert.equal((await get('IPAddressClaim', 'default', 't7-control-plane-vip'))?.metadata.uid, uid);
    });

    test('a rollback whose delete keeps failing is reported as such, with the claim to delete, after three tries', async (t) => {
      if (!sb.sandbox) return t.skip("needs the sandbox's fault injection");
      const uri = scratch('t8');
      await lsp.waitFor(() => lsp.diagnostics.has(uri) || undefined, 5000, 'scratch analysed');
      lsp.acceptEdit = () => false;
      const deletes = () => sb.sandbox!.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith('/t8-control-plane-vip')).length;
      sb.sandbox.faults.failNext(3, 503, (r) => r.verb === 'delete');
      try {
        await assert.rejects(
          allocate(uri, 't8', 'default', 'sandbox-vips'),
          /^Error: the edit was not applied \(document changed\); deleting the IPAddressClaim default\/t8-control-plane-vip failed 3 times \(503 ServiceUnavailable\): it still holds 10\.20\.0\.\d+ — release it \(Release VIP, or capi-ipam release --claim default\/t8-control-plane-vip\) or delete it by hand$/,
        );
      } finally {
        lsp.acceptEdit = () => true;
        sb.sandbox.faults.clear();
      }
      assert.equal(deletes(), 3);
      assert.ok(await get('IPAddressClaim', 'default', 't8-control-plane-vip'), 'the claim is still there, as the message says');
    });

    test('two language servers allocating 20 clusters at once end with 20 distinct addresses', async () => {
      const second = await LspClient.start({
        folder: ws.dir,
        settings: { kubeconfig: sb.kubeconfigPath, allocate: { timeoutSeconds: 20, writeClaim: false } },
      });
      try {
        await second.waitForState('connected');
        const uris = Array.from({ length: 20 }, (_, i) => scratch(`par${i}`));
        for (const u of uris) second.open(u);
        await lsp.waitFor(() => uris.every((u) => lsp.diagnostics.has(u)) || undefined, 10_000, 'scratch files analysed');
        await second.waitFor(() => uris.every((u) => second.diagnostics.has(u)) || undefined, 10_000, 'scratch files analysed (2nd)');
        const results = await Promise.all(
          uris.map((u, i) => {
            const client = i % 2 ? second : lsp;
            return client.rpc.sendRequest('capiIpam/allocate', {
              uri: u,
              cluster: { name: `par${i}`, namespace: 'default' },
              pool: { kind: 'GlobalInClusterIPPool', name: 'sandbox-vips' },
            }) as Promise<{ address: string }>;
          }),
        );
        const addresses = results.map((r) => r.address);
        assert.equal(new Set(addresses).size, 20, addresses.join(', '));
        for (let i = 0; i < 20; i++) {
          const text = (i % 2 ? second : lsp).textOf(uris[i]!);
          assert.equal(text.match(new RegExp(addresses[i]!.replaceAll('.', '\\.'), 'g'))?.length, 2);
        }
      } finally {
        await second.stop();
      }
    });

    test("completion offers the live pools' next free addresses", async () => {
      const uri = scratch('t6');
      const [missing] = await lsp.waitForDiagnostic(uri, 'missing-vip');
      const items = await lsp.completion(uri, missing!.range.start);
      const first = [...items].sort((x, y) => (x.sortText ?? '').localeCompare(y.sortText ?? ''))[0];
      assert.ok(
        first && /sandbox-vips/.test(first.detail ?? ''),
        `capiIpam.defaultPool comes first:\n${items.map((i) => `${i.sortText} ${i.label} ${i.detail}`).join('\n')}`,
      );
      assert.match(first.detail!, /GlobalInClusterIPPool sandbox-vips · \d+\/90 used/);
    });
  });
