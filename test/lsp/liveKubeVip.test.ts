// The kube-vip cloud provider's ConfigMap and the IPAM pools, written in the workspace and served by the
// management cluster alike (issue 24 item 3): connected, a range that overlaps a pool is reported exactly
// as offline — at the entry in the file — by the language server and by `check --kubeconfig`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { runCli } from '../support/cli';
import { LspClient, messageOf } from '../support/lspClient';

const POOL = `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: GlobalInClusterIPPool
metadata:
  name: lb-vips
spec:
  addresses: [10.10.0.30-10.10.0.35]
  prefix: 24
  gateway: 10.10.0.1
`;
const KUBEVIP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kubevip
  namespace: kube-system
data:
  range-global: 10.10.0.34-10.10.0.40
`;
// Only connected: another claim holds 10.10.0.30, the VIP of cluster c (ip-in-use), which tells that the
// analysis with the live inventory has been published.
const CLAIM = `apiVersion: ipam.cluster.x-k8s.io/v1beta2
kind: IPAddressClaim
metadata:
  name: other-vip
  namespace: default
spec:
  poolRef: { apiGroup: ipam.cluster.x-k8s.io, kind: GlobalInClusterIPPool, name: lb-vips }
`;
const CLUSTER = `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: c
  namespace: default
spec:
  controlPlaneEndpoint:
    host: 10.10.0.30
`;
const MESSAGE =
  'range-global entry 10.10.0.34-10.10.0.40 overlaps GlobalInClusterIPPool lb-vips: 2 address(es) both the kube-vip cloud provider and the IPAM provider can hand out, e.g. 10.10.0.34.';

for (const backend of backendNames())
  describe(`lb-range-pool-overlap connected to the ${backend.name} backend`, { skip: backend.skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-lbov-'));
    writeFileSync(join(dir, 'pool.yaml'), POOL);
    writeFileSync(join(dir, 'kubevip.yaml'), KUBEVIP);
    const seed = mkdtempSync(join(tmpdir(), 'capi-ipam-lbov-seed-'));
    writeFileSync(join(seed, 'all.yaml'), `${POOL}---\n${KUBEVIP}---\n${CLAIM}`);
    const uri = pathToFileURL(join(dir, 'kubevip.yaml')).toString();
    let b: Backend;

    before(async () => {
      b = await startBackend(backend.name, { seed: [seed], kubeconfig: join(mkdtempSync(join(tmpdir(), 'capi-ipam-lbov-kc-')), 'kubeconfig') });
      await b.waitFor(() => b.get('ipam.cluster.x-k8s.io/v1beta2', 'IPAddress', 'default', 'other-vip'));
      writeFileSync(join(dir, 'cluster.yaml'), CLUSTER);
    });
    after(async () => b?.stop());

    /** The finding on the ConfigMap's entry (line 6, `10.10.0.34-10.10.0.40`), one only. */
    function overlapOf(lsp: LspClient) {
      const [d, ...more] = lsp.diagnosticsOf(uri, 'lb-range-pool-overlap');
      assert.ok(d, 'lb-range-pool-overlap is reported');
      assert.deepEqual(more, []);
      assert.equal(messageOf(d!), MESSAGE);
      assert.deepEqual(d!.range, { start: { line: 6, character: 16 }, end: { line: 6, character: 37 } });
      assert.equal(d!.severity, 1);
    }

    test('the language server reports it at the entry, offline and connected alike', async () => {
      const offline = await LspClient.start({ folder: dir, settings: { offline: true } });
      try {
        await offline.waitForDiagnostic(uri, 'lb-range-pool-overlap', 20_000);
        overlapOf(offline);
      } finally {
        await offline.stop();
      }
      const live = await LspClient.start({ folder: dir, settings: { kubeconfig: b.kubeconfigPath } });
      try {
        await live.waitForState('connected', 30_000);
        await live.waitForDiagnostic(pathToFileURL(join(dir, 'cluster.yaml')).toString(), 'ip-in-use', 20_000);
        // A round trip: whatever the server published with that analysis has arrived before its answer.
        await live.request('capiIpam/pools');
        overlapOf(live);
      } finally {
        await live.stop();
      }
    });

    test('check --kubeconfig prints the same line as check offline', async () => {
      const line = `kubevip.yaml:7:17: error [lb-range-pool-overlap] ${MESSAGE}`;
      const offline = await runCli(['check', '.', '--no-resolve'], dir);
      assert.ok(offline.stdout.split('\n').includes(line), offline.stdout);
      const live = await runCli(['check', '.', '--no-resolve', '--kubeconfig', b.kubeconfigPath], dir);
      assert.equal(live.status, 1, live.stderr);
      assert.ok(live.stdout.split('\n').includes(line), live.stdout);
    });
  });
