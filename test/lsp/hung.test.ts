// A hung API server (issue 24 item 1): the process is alive, its connections accepted or open, and it
// answers nothing — the real stack's kube-apiserver SIGSTOPped, the sandbox frozen. The language server
// must notice the silence of its watches, say the cluster did not answer in N s, label what it shows
// as cached, refuse allocation in plain words, and come back when the server does; the CLI must exit
// with its own code in bounded time and still report what the files say.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { runCli } from '../support/cli';
import { LspClient } from '../support/lspClient';
import { copyFixture } from '../support/workspaceCopy';

const G = 'ipam.cluster.x-k8s.io';
const REQUEST_TIMEOUT_S = 1;
/** Liveness window (3 × the request timeout) + one list bounded by the request timeout + slack for two busy cores. */
const DETECT_MS = (3 * REQUEST_TIMEOUT_S + REQUEST_TIMEOUT_S) * 1000 + 6000;

const ws = copyFixture();

for (const backend of backendNames())
  describe(`a hung API server (${backend.name})`, { skip: backend.skip }, () => {
    let b: Backend;
    let lsp: LspClient;

    before(async () => {
      b = await startBackend(backend.name, { kubeconfig: join(mkdtempSync(join(tmpdir(), 'capi-ipam-hung-')), 'kubeconfig') });
      await b.create({
        apiVersion: `${G}/v1alpha2`,
        kind: 'GlobalInClusterIPPool',
        metadata: { name: 'hung-vips' },
        spec: { addresses: ['10.10.0.30-10.10.0.35'], prefix: 24, gateway: '10.10.0.1' },
      });
      lsp = await LspClient.start({ folder: ws.dir, settings: { kubeconfig: b.kubeconfigPath, requestTimeoutSeconds: REQUEST_TIMEOUT_S } });
      await lsp.waitForState('connected', 30_000);
    });

    after(async () => {
      b?.freezeApiServer(false);
      await lsp?.stop();
      await b?.stop();
    });

    test('the language server reports it within the liveness window, labels its data cached, and recovers', async () => {
      const frozenAt = Date.now();
      b.freezeApiServer(true);
      try {
        const s = await lsp.waitForState('unreachable', DETECT_MS);
        assert.match(s.reason ?? '', new RegExp(`^cannot list \\w+: the cluster did not answer in ${REQUEST_TIMEOUT_S} s$`));
        assert.ok(s.cachedAt !== undefined && s.cachedAt <= Date.now(), `cachedAt: ${JSON.stringify(s)}`);
        assert.ok(Date.now() - frozenAt <= DETECT_MS, `detected after ${Date.now() - frozenAt} ms`);
        // Allocation says why it cannot run, at once, instead of waiting for a claim that cannot come.
        const asked = Date.now();
        await assert.rejects(
          lsp.request('capiIpam/allocate', {
            uri: ws.uri('clusters/dev.yaml'),
            cluster: { name: 'dev', namespace: 'default' },
            pool: { kind: 'GlobalInClusterIPPool', name: 'hung-vips' },
          }),
          (e: Error) =>
            /^Allocation needs the management cluster, which is unreachable: cannot list \w+: the cluster did not answer in 1 s \(showing data cached, /.test(
              e.message,
            ),
        );
        assert.ok(Date.now() - asked < 2000);
      } finally {
        b.freezeApiServer(false);
      }
      await lsp.waitForState('connected', 30_000);
    });

    test('the CLI exits with code 3 within its request timeout and still prints what the files say', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-hung-cli-'));
      writeFileSync(
        join(dir, 'pool.yaml'),
        `apiVersion: ${G}/v1alpha2\nkind: InClusterIPPool\nmetadata:\n  name: files-pool\n  namespace: default\nspec:\n  addresses: [10.20.0.10-10.20.0.19]\n  prefix: 24\n  gateway: 10.20.0.1\n`,
      );
      b.freezeApiServer(true);
      try {
        const started = Date.now();
        const r = await runCli(['pools', dir, '--kubeconfig', b.kubeconfigPath, '--request-timeout', '2'], dir);
        const took = Date.now() - started;
        assert.equal(r.status, 3, r.stderr);
        assert.match(
          r.stderr,
          /^capi-ipam: the management cluster \(context \S+, https:\/\/127\.0\.0\.1:\d+\) could not be read: the cluster did not answer in 2 s; only the files are checked\n/,
        );
        assert.match(r.stdout, /^default\/files-pool +InClusterIPPool +\["10\.20\.0\.10-10\.20\.0\.19"\] +10 +10 +0 +10\.20\.0\.10$/m);
        assert.ok(took < 2000 + 10_000, `the CLI took ${took} ms`); // bounded: the request timeout, plus start-up on two busy cores
      } finally {
        b.freezeApiServer(false);
      }
    });

    test('the CLI against a stopped API server: exit code 3, a plain reason, the offline findings still reported', { timeout: 180_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-down-cli-'));
      writeFileSync(
        join(dir, 'cluster.yaml'),
        'apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: down\n  namespace: default\nspec:\n  controlPlaneEndpoint:\n    host: 10.10.0.256\n',
      );
      await b.stopApiServer();
      try {
        const r = await runCli(['check', dir, '--kubeconfig', b.kubeconfigPath, '--no-resolve'], dir);
        assert.equal(r.status, 3, r.stderr);
        assert.match(
          r.stderr,
          /^capi-ipam: the management cluster \(context \S+, https:\/\/127\.0\.0\.1:\d+\) could not be read: the API server refused the connection \(is it running\?\); only the files are checked\n$/,
        );
        assert.match(r.stdout, /^cluster\.yaml:8:11: error \[invalid-ip\] "10\.10\.0\.256" is not a valid IP address/m);
      } finally {
        await b.startApiServer();
      }
    });
  });

after(() => ws.dispose());
