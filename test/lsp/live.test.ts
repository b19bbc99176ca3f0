// The language server as a child process against each backend's management cluster over HTTPS with a
// kubeconfig: live rules fire and clear, no tokens in logs, an API server restart; on the sandbox
// (fault injection) also no request per keystroke, 410, 401/403.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { LspClient, messageOf } from '../support/lspClient';
import { copyFixture } from '../support/workspaceCopy';

const ws = copyFixture();
const dev = ws.uri('clusters/dev.yaml');
let b: Backend;
/** The sandbox's in-process handle, for the tests that inject faults (absent on the real stack). */
let sb: Sandbox;
let lsp: LspClient;
const del = async (apiVersion: string, kind: string, ns: string, name: string) => assert.equal((await b.rest.delete(apiVersion, kind, ns, name)).status, 200);

const G = 'ipam.cluster.x-k8s.io';

for (const backend of backendNames())
  describe(`the language server against the ${backend.name} backend`, { skip: backend.skip }, () => {
    const faults = { skip: backend.name === 'real' && "needs the sandbox's fault injection" };

    before(async () => {
      b = await startBackend(backend.name, { kubeconfig: join(mkdtempSync(join(tmpdir(), 'capi-ipam-sb-')), 'kubeconfig') });
      sb = b.sandbox!;
      await b.create({
        apiVersion: `${G}/v1alpha2`,
        kind: 'GlobalInClusterIPPool',
        metadata: { name: 'mgmt-vips' },
        spec: { addresses: ['10.10.0.30-10.10.0.35'], prefix: 24, gateway: '10.10.0.1' },
      });
      await b.create({ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'other', namespace: 'default' }, spec: {} });
      await b.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
      lsp = await LspClient.start({ folder: ws.dir, settings: { kubeconfig: b.kubeconfigPath } });
      await lsp.waitForState('connected');
      await lsp.waitForDiagnostic(ws.uri('clusters/prod.yaml'), 'vip-mismatch'); // the workspace scan is done
    });

    /** Repeats `poke` (e.g. dropping watches that may just be reconnecting) until the server reports `state`. */
    async function pokeUntil(state: string, poke: () => void, timeoutMs = 20_000) {
      const timer = setInterval(poke, 1000);
      poke();
      try {
        return await lsp.waitForState(state, timeoutMs);
      } finally {
        clearInterval(timer);
      }
    }

    after(async () => {
      if (process.env.DEBUG_LIVE) console.log(lsp?.logs.join('\n'));
      await lsp?.stop();
      await b?.stop();
    });

    test('live pools reach the tree request with their status', async () => {
      const pools = await lsp.request<{ id: string; source: string; total: string; firstFree?: string }[]>('capiIpam/pools');
      const live = pools.find((p) => p.id === 'GlobalInClusterIPPool//mgmt-vips');
      assert.ok(live, JSON.stringify(pools.map((p) => p.id)));
      assert.equal(live.source, 'live');
      assert.equal(live.total, '6');
      assert.equal(live.firstFree, '10.10.0.31', '10.10.0.30 is the dev cluster VIP in the workspace');
    });

    test('pool YAML of a live pool: as the cluster serves it, with its status', async () => {
      const text = await lsp.request<string>('capiIpam/poolYaml', { id: 'GlobalInClusterIPPool//mgmt-vips' });
      assert.match(text, new RegExp(`^# ${backend.name === 'real' ? 'realstack' : 'sandbox'}: GlobalInClusterIPPool mgmt-vips\n`));
      assert.match(text, /^# \S+: GlobalInClusterIPPool mgmt-vips\napiVersion: ipam\.cluster\.x-k8s\.io\/v1alpha2\nkind: GlobalInClusterIPPool\n/);
      assert.match(text, /addresses:\n\s+- 10\.10\.0\.30-10\.10\.0\.35/);
      assert.doesNotMatch(text, /managedFields/);
    });

    test('ip-in-use fires when another claim gets the VIP and clears when the claim is deleted', async () => {
      await b.create({
        apiVersion: `${G}/v1beta2`,
        kind: 'IPAddressClaim',
        metadata: { name: 'other-vip', namespace: 'default', labels: { 'cluster.x-k8s.io/cluster-name': 'other' } },
        spec: { poolRef: { apiGroup: G, kind: 'GlobalInClusterIPPool', name: 'mgmt-vips' } },
      });
      const found = await lsp.waitForDiagnostic(dev, 'ip-in-use', 15_000);
      assert.ok(found.every((d) => lsp.textAt(dev, d.range) === '10.10.0.30'));
      assert.match(messageOf(found[0]!), /IPAddressClaim default\/other-vip of cluster other \(pool GlobalInClusterIPPool mgmt-vips\)/);
      const hover = await lsp.hover(dev, found[0]!.range.start);
      assert.match((hover!.contents as { value: string }).value, /held by IPAddress default\/other-vip \(claim other-vip → cluster other\)/);
      await del(`${G}/v1beta2`, 'IPAddressClaim', 'default', 'other-vip');
      await lsp.waitFor(() => lsp.diagnosticsOf(dev, 'ip-in-use').length === 0, 15_000, 'ip-in-use cleared');
    });

    test('duplicate-ip names a live LoadBalancer Service; lb-range-overlap follows the live kubevip ConfigMap', async () => {
      await b.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { type: 'LoadBalancer', loadBalancerIP: '10.10.0.30', ports: [{ port: 80 }] },
      });
      const dup = await lsp.waitFor(
        () => lsp.diagnosticsOf(dev, 'duplicate-ip').find((d) => /Service shop\/web/.test(messageOf(d))),
        15_000,
        'duplicate-ip for shop/web',
      );
      assert.equal(lsp.textAt(dev, dup.range), '10.10.0.30');
      await b.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kubevip', namespace: 'kube-system' },
        data: { 'cidr-global': '10.10.0.28/30' },
      });
      const [overlap] = await lsp.waitForDiagnostic(dev, 'lb-range-overlap', 15_000);
      assert.match(messageOf(overlap!), /cidr-global 10\.10\.0\.28\/30/);
      await del('v1', 'Service', 'shop', 'web');
      await del('v1', 'ConfigMap', 'kube-system', 'kubevip');
      await lsp.waitFor(
        () => lsp.diagnosticsOf(dev, 'duplicate-ip').length === 0 && lsp.diagnosticsOf(dev, 'lb-range-overlap').length === 0,
        15_000,
        'cleared',
      );
    });

    test('editing a document 100 times sends no request to the cluster', faults, async () => {
      lsp.open(dev);
      await lsp.waitFor(() => lsp.diagnostics.has(dev) || undefined, 10_000, 'dev.yaml analysed');
      sb.resetRequests();
      const text = lsp.textOf(dev);
      for (let i = 0; i < 100; i++) lsp.change(dev, text.replace('replicas: 3', `replicas: ${i}`));
      lsp.change(dev, text.replace('host: 10.10.0.30', 'host: 10.10.0.99'));
      await lsp.waitForDiagnostic(dev, 'vip-mismatch');
      const nonWatch = sb.requests.filter((r) => !r.watch);
      assert.deepEqual(
        nonWatch.map((r) => `${r.method} ${r.path}`),
        [],
      );
      lsp.change(dev, text);
      lsp.close(dev);
    });

    test('410 Gone: expired resourceVersions make the watchers list again, and stay connected', faults, async () => {
      sb.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'noise', namespace: 'default' }, data: {} });
      sb.compactHistory();
      const lists = () => sb.requests.filter((r) => !r.watch && r.method === 'GET' && r.path.endsWith('/ipaddresses')).length;
      const before = lists();
      sb.faults.dropWatches();
      await sb.waitFor(() => lists() > before, 10_000);
      assert.equal(lsp.states.at(-1)?.state, 'connected');
    });

    test('401 and 403 give a clear state and message, and the server recovers', faults, async () => {
      sb.faults.refuseToken();
      const refused = await pokeUntil('forbidden', () => sb.faults.dropWatches());
      assert.match(refused.reason ?? '', /401/);
      sb.faults.clear();
      await lsp.waitForState('connected', 40_000);
      sb.faults.forbid('*', 'services');
      const forbidden = await pokeUntil('forbidden', () => sb.faults.dropWatches());
      assert.match(forbidden.reason ?? '', /cannot list Service: 403/);
      sb.faults.clear();
      await lsp.waitForState('connected', 40_000);
    });

    test('the server survives the API server restarting: unreachable, then live diagnostics again', { timeout: 180_000 }, async () => {
      // 10.10.0.30 (dev's VIP) is free again once other-vip's address is gone: the new claim gets it.
      await b.waitFor(async () => !(await b.get(`${G}/v1beta2`, 'IPAddress', 'default', 'other-vip')));
      await b.create({
        apiVersion: `${G}/v1beta2`,
        kind: 'IPAddressClaim',
        metadata: { name: 'restart-vip', namespace: 'default' },
        spec: { poolRef: { apiGroup: G, kind: 'GlobalInClusterIPPool', name: 'mgmt-vips' } },
      });
      await lsp.waitForDiagnostic(dev, 'ip-in-use', 15_000);
      await b.stopApiServer();
      await lsp.waitForState('unreachable', 20_000);
      assert.ok(lsp.diagnosticsOf(ws.uri('clusters/prod.yaml'), 'vip-mismatch').length > 0, 'offline rules keep working');
      await b.startApiServer();
      await lsp.waitForState('connected', 40_000);
      await lsp.waitForDiagnostic(dev, 'ip-in-use', 15_000);
    });

    test('a cluster that stops answering never blocks diagnostics', faults, async () => {
      sb.faults.hangNext(1000);
      sb.faults.dropWatches();
      const uri = ws.uri('clusters/hang.yaml');
      const started = Date.now();
      lsp.open(uri, 'apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: hang\nspec:\n  controlPlaneEndpoint:\n    host: 10.10.0.256\n');
      await lsp.waitForDiagnostic(uri, 'invalid-ip', 5000);
      assert.ok(Date.now() - started < 3000, `diagnostics took ${Date.now() - started} ms`);
      lsp.close(uri);
      sb.faults.clear();
      sb.faults.dropWatches();
      await lsp.waitForState('connected', 40_000);
    });

    test('an untrusted workspace makes zero requests, even with the kubeconfig set', faults, async () => {
      // A sandbox of its own, so that the trusted server's watches cannot blur the count.
      const quiet = await startSandbox({ kubeconfig: join(mkdtempSync(join(tmpdir(), 'capi-ipam-quiet-')), 'kubeconfig') });
      const untrusted = await LspClient.start({
        folder: ws.dir,
        trusted: false,
        settings: { kubeconfig: quiet.kubeconfigPath },
        env: { KUBECONFIG: quiet.kubeconfigPath },
      });
      try {
        await untrusted.waitForState('untrusted');
        await untrusted.waitForDiagnostic(ws.uri('clusters/prod.yaml'), 'vip-mismatch');
        await assert.rejects(
          untrusted.request('capiIpam/contexts').then((r) => ((r as { contexts: string[] }).contexts.length ? r : Promise.reject(new Error('none')))),
        );
        // One more round trip: the server handles messages in order, so whatever it would send on configuring has been sent.
        await untrusted.request('capiIpam/pools');
        assert.deepEqual(
          quiet.requests.map((r) => `${r.method} ${r.path}`),
          [],
        );
      } finally {
        await untrusted.stop();
        await quiet.stop();
      }
    });

    test('no token, key or certificate appears in any log output', () => {
      const logs = lsp.logs.join('\n');
      assert.ok(logs.length > 0);
      assert.equal(logs.includes(b.token), false);
      assert.doesNotMatch(logs, /BEGIN (CERTIFICATE|PRIVATE KEY|RSA PRIVATE KEY)/);
      assert.doesNotMatch(logs, /Bearer /);
    });
  });

after(() => ws.dispose());
