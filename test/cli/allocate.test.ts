// `capi-ipam allocate` / `release` from a terminal against each backend's management cluster.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { runCli } from '../support/cli';
import { copyFixture } from '../support/workspaceCopy';

const G = 'ipam.cluster.x-k8s.io';
let ws: ReturnType<typeof copyFixture>;
let sb: Backend;
const claim = (name: string, pool: string) => ({
  apiVersion: `${G}/v1beta2`,
  kind: 'IPAddressClaim',
  metadata: { name, namespace: 'default' },
  spec: { poolRef: { apiGroup: G, kind: 'GlobalInClusterIPPool', name: pool } },
});
const get = (kind: string, ns: string, name: string) => sb.get(`${G}/v1beta2`, kind, ns, name);

const run = (args: string[]) => runCli(args, ws.dir);

for (const backend of backendNames())
  describe(`CLI against the ${backend.name} backend`, { skip: backend.skip }, () => {
    before(async () => {
      ws = copyFixture();
      sb = await startBackend(backend.name, { kubeconfig: join(mkdtempSync(join(tmpdir(), 'capi-ipam-cli-')), 'kubeconfig') });
      await sb.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab' } });
      await sb.create({
        apiVersion: `${G}/v1alpha2`,
        kind: 'GlobalInClusterIPPool',
        metadata: { name: 'cli-vips' },
        spec: { addresses: ['10.30.0.10-10.30.0.12'], prefix: 24 },
      });
    });
    after(async () => {
      await sb?.stop();
      ws.dispose();
    });

    test('allocate claims from the cluster, rewrites every VIP place and the claim document, prints the address', async () => {
      const r = await run(['allocate', 'clusters/lab.yaml', '--cluster', 'lab', '--pool', 'cli-vips', '--kubeconfig', sb.kubeconfigPath, '--write-claim']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '10.30.0.10\n');
      assert.match(r.stderr, /IPAddressClaim lab\/lab-control-plane-vip holds 10\.30\.0\.10/);
      const text = readFileSync(join(ws.dir, 'clusters/lab.yaml'), 'utf8');
      assert.equal(text.match(/10\.30\.0\.10/g)?.length, 4);
      assert.match(text, /kind: IPAddressClaim\nmetadata:\n  name: lab-control-plane-vip/);
      assert.equal((await get('IPAddress', 'lab', 'lab-control-plane-vip'))?.spec.address, '10.30.0.10');
    });

    test("release deletes the claim holding the cluster's VIP and says which; a second release says there is nothing to release", async () => {
      const r = await run(['release', 'clusters/lab.yaml', '--cluster', 'lab', '--kubeconfig', sb.kubeconfigPath]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(
        r.stderr,
        'deleted IPAddressClaim lab/lab-control-plane-vip (10.30.0.10, from GlobalInClusterIPPool cli-vips, cluster lab): the address is free again.\n',
      );
      await sb.waitFor(async () => !(await get('IPAddressClaim', 'lab', 'lab-control-plane-vip')), 10_000);
      const again = await run(['release', '--cluster', 'lab', '--namespace', 'lab', '--kubeconfig', sb.kubeconfigPath]);
      assert.equal(again.status, 1);
      assert.match(again.stderr, /no IPAddressClaim holds the VIP of cluster lab\/lab: nothing to release/);
    });

    test('release of a cluster never deletes its node claims, nor a claim another tool created, without --claim NS/NAME --foreign', async () => {
      await sb.create({
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        kind: 'Cluster',
        metadata: { name: 'prod', namespace: 'default' },
        spec: { controlPlaneEndpoint: { host: '10.10.0.20', port: 6443 } },
      });
      await sb.create({
        apiVersion: `${G}/v1alpha2`,
        kind: 'GlobalInClusterIPPool',
        metadata: { name: 'prod-vip' },
        spec: { addresses: ['10.10.0.20'], prefix: 24 },
      });
      await sb.create({
        apiVersion: `${G}/v1alpha2`,
        kind: 'GlobalInClusterIPPool',
        metadata: { name: 'prod-nodes' },
        spec: { addresses: ['10.10.0.31'], prefix: 24 },
      });
      const labels = { 'cluster.x-k8s.io/cluster-name': 'prod' };
      const labelled = (name: string, pool: string) => {
        const c = claim(name, pool);
        return { ...c, metadata: { ...c.metadata, labels } };
      };
      await sb.create(labelled('prod-control-plane-vip', 'prod-vip')); // made by a Helm chart with our naming convention, not by capi-ipam
      await sb.create(labelled('prod-node-0', 'prod-nodes'));
      await sb.waitFor(async () => (await get('IPAddress', 'default', 'prod-control-plane-vip')) && (await get('IPAddress', 'default', 'prod-node-0')), 10_000);
      const present = async (name: string) => !!(await get('IPAddressClaim', 'default', name));

      const byCluster = await run(['release', 'clusters/prod.yaml', '--cluster', 'prod', '--kubeconfig', sb.kubeconfigPath]);
      assert.equal(byCluster.status, 1);
      assert.equal(
        byCluster.stderr,
        'capi-ipam: IPAddressClaim default/prod-control-plane-vip was not created by capi-ipam (no capi-ipam.dev/created-by: capi-ipam annotation): nothing deleted; another tool may own it. To delete it anyway: capi-ipam release --claim default/prod-control-plane-vip --foreign\n',
      );
      const unconfirmed = await run(['release', '--claim', 'default/prod-node-0', '--kubeconfig', sb.kubeconfigPath]);
      assert.equal(unconfirmed.status, 1);
      assert.match(unconfirmed.stderr, /IPAddressClaim default\/prod-node-0 was not created by capi-ipam/);
      assert.ok((await present('prod-control-plane-vip')) && (await present('prod-node-0')), 'nothing deleted');
      const usage = await run(['release', '--cluster', 'prod', '--foreign', '--kubeconfig', sb.kubeconfigPath]);
      assert.equal(usage.status, 2);
      assert.match(usage.stderr, /--foreign needs --claim NAMESPACE\/NAME/);

      const named = await run(['release', '--claim', 'default/prod-node-0', '--foreign', '--kubeconfig', sb.kubeconfigPath]);
      assert.equal(named.status, 0, named.stderr);
      assert.equal(
        named.stderr,
        'deleted IPAddressClaim default/prod-node-0 (10.10.0.31, from GlobalInClusterIPPool prod-nodes, cluster prod): the address is free again.\n',
      );
      await sb.waitFor(async () => !(await present('prod-node-0')), 10_000);
      assert.ok(await present('prod-control-plane-vip'), 'the VIP claim of prod stays');
    });

    test('exhausted pool: exit 1, a clear message, and no claim left behind', async () => {
      for (const n of ['x1', 'x2', 'x3']) await sb.create(claim(n, 'cli-vips'));
      await sb.waitFor(async () => (await Promise.all(['x1', 'x2', 'x3'].map((n) => get('IPAddress', 'default', n)))).every(Boolean), 10_000);
      const r = await run(['allocate', 'clusters/dev.yaml', '--cluster', 'dev', '--pool', 'cli-vips', '--kubeconfig', sb.kubeconfigPath, '--timeout', '2']);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /did not allocate an address from GlobalInClusterIPPool cli-vips within 2 s.*was deleted, no address is held/);
      await sb.waitFor(async () => !(await get('IPAddressClaim', 'default', 'dev-control-plane-vip')), 10_000); // the provider drops its finalizer
      assert.equal(readFileSync(join(ws.dir, 'clusters/dev.yaml'), 'utf8').includes('10.30.0'), false);
    });

    test('an unreachable cluster fails fast with a clear message', async () => {
      const r = await run(['allocate', 'clusters/dev.yaml', '--cluster', 'dev', '--kubeconfig', join(ws.dir, 'no-such-kubeconfig')]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /no-such-kubeconfig/);
    });

    test('check --kubeconfig also checks against the management cluster (a CI job catches a VIP taken live)', async () => {
      await sb.create({
        apiVersion: `${G}/v1alpha2`,
        kind: 'GlobalInClusterIPPool',
        metadata: { name: 'ci-check' },
        spec: { addresses: ['10.10.0.30'], prefix: 24, allocateReservedIPAddresses: true },
      });
      await sb.create(claim('intruder', 'ci-check'));
      await sb.waitFor(() => get('IPAddress', 'default', 'intruder'), 10_000);
      const offline = await run(['check', 'clusters/dev.yaml']);
      assert.equal(offline.status, 0, offline.stdout);
      const live = await run(['check', 'clusters/dev.yaml', '--kubeconfig', sb.kubeconfigPath]);
      assert.equal(live.status, 1, live.stderr);
      assert.match(live.stdout, /clusters\/dev\.yaml:\d+:\d+: error \[ip-in-use\] 10\.10\.0\.30 is allocated to IPAddressClaim default\/intruder/);
      const pools = await run(['pools', 'clusters/dev.yaml', '--kubeconfig', sb.kubeconfigPath]);
      assert.match(pools.stdout, /^ci-check\s+GlobalInClusterIPPool\s+\["10\.10\.0\.30"\]\s+1\s+0\s+1\s+exhausted$/m);
    });

    test(
      'an API error is reported as status code and reason, never with the response',
      { skip: backend.name !== 'sandbox' && "needs the sandbox's fault injection" },
      async () => {
        const faults = sb.sandbox!.faults;
        faults.failNext(1, 503, (r) => r.verb === 'list');
        const r = await run(['pools', 'clusters/dev.yaml', '--kubeconfig', sb.kubeconfigPath]);
        faults.clear();
        assert.equal(r.status, 3, 'the code of a cluster that cannot be read, not the one of findings');
        assert.equal(
          r.stderr,
          `capi-ipam: the management cluster (context sandbox, ${sb.url}) could not be read: 503 ServiceUnavailable; only the files are checked\n`,
        );
      },
    );
  });
