// Contract test: the real kubectl on this machine (/usr/bin/kubectl, a dispatcher that runs the
// kubectl matching the server's version) against each backend over HTTPS with its kubeconfig.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { serviceAccountKubeconfig } from '../support/rbac';

const KUBECTL = '/usr/bin/kubectl';
const FIX = join(import.meta.dirname, '..', 'fixtures', 'sandbox');
const G = 'ipam.cluster.x-k8s.io';
// From 1.33 on, a bare `ipaddresses` is Kubernetes' own networking.k8s.io IPAddress (Service IPs).
const IPADDRESSES = `ipaddresses.${G}`;
let sb: Backend;
let cacheDir: string;

function kubectl(args: string[], kubeconfig = sb.kubeconfigPath): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, ...args],
      { env: { ...process.env, KUBECACHEDIR: cacheDir, KUBECONFIG: '' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

async function ok(args: string[]): Promise<string> {
  const r = await kubectl(args);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Splits kubectl's table output into rows of cells (columns are separated by 2+ spaces). */
function table(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

const pool = async (kind: string, ns: string | undefined, name: string) => sb.get(`${G}/v1alpha2`, kind, ns, name);
const address = async (ns: string, name: string) => sb.get(`${G}/v1beta2`, 'IPAddress', ns, name);

for (const backend of backendNames())
  describe(`kubectl against the ${backend.name} backend`, { skip: backend.skip }, () => {
    before(async () => {
      cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
      sb = await startBackend(backend.name, { seed: [join(FIX, 'seed')] });
    });

    after(async () => {
      await sb?.stop();
      rmSync(cacheDir, { recursive: true, force: true });
    });

    it('talks to the server of its version and sees the seeded objects', async () => {
      const v = JSON.parse(await ok(['version', '-o', 'json']));
      assert.equal(`v${v.serverVersion.major}.${v.serverVersion.minor}`, sb.real ? /^v\d+\.\d+/.exec(sb.real.versions['kube-apiserver']!)![0] : 'v1.32');
      assert.equal(
        v.serverVersion.gitVersion,
        sb.real ? sb.real.versions['kube-apiserver'] : 'v1.32.0-sandbox',
        'the real server reports its release (v1.37.2), not v0.0.0',
      );
      const addrs = table(await ok(['get', IPADDRESSES, '-n', 'clusters']));
      assert.deepEqual(addrs[0], ['NAME', 'ADDRESS', 'POOL NAME', 'POOL KIND', 'AGE']);
      assert.deepEqual(addrs[1]!.slice(0, 4), ['workload-1-vip', '10.40.0.10', 'vips', 'InClusterIPPool']);
      const svc = JSON.parse(await ok(['get', 'svc', 'ingress', '-o', 'json']));
      assert.equal(svc.status.loadBalancer.ingress[0].ip, '10.40.0.60');
      assert.match(await ok(['get', 'cluster-api', '-A']), /workload-1/);
    });

    it('a claim on a seeded pool gets its IPAddress from the provider: the lowest free address', async () => {
      assert.equal(
        await ok(['create', '-f', join(FIX, 'kubectl', 'claim-on-seeded-pool.yaml')]),
        'ipaddressclaim.ipam.cluster.x-k8s.io/workload-2-vip created\n',
      );
      assert.match(
        await ok(['wait', '-n', 'clusters', 'ipaddressclaim/workload-2-vip', '--for=jsonpath={.status.addressRef.name}=workload-2-vip', '--timeout=30s']),
        /condition met/,
      );
      const made = JSON.parse(await ok(['get', IPADDRESSES, 'workload-2-vip', '-n', 'clusters', '-o', 'json']));
      assert.equal(made.spec.address, '10.40.0.11', "10.40.0.10 is workload-1-vip's");
      assert.deepEqual([made.spec.poolRef.name, made.spec.claimRef.name], ['vips', 'workload-2-vip']);
      assert.ok(made.metadata.finalizers.includes(`${G}/ProtectAddress`), 'made by the provider');
    });

    it('imperative create (a protobuf body) of a namespace, a ConfigMap and a LoadBalancer Service', async () => {
      assert.equal(await ok(['create', 'namespace', 'made-by-kubectl']), 'namespace/made-by-kubectl created\n');
      assert.equal(await ok(['get', 'ns', 'made-by-kubectl', '-o', 'jsonpath={.status.phase}']), 'Active');
      await ok(['create', 'configmap', 'kubevip', '-n', 'made-by-kubectl', '--from-literal=range-global=10.60.0.10-10.60.0.12']);
      assert.equal(await ok(['get', 'cm', 'kubevip', '-n', 'made-by-kubectl', '-o', 'jsonpath={.data.range-global}']), '10.60.0.10-10.60.0.12');
      await ok(['create', 'service', 'loadbalancer', 'web', '--tcp=443:https', '-n', 'made-by-kubectl']);
      const svc = JSON.parse(await ok(['get', 'svc', 'web', '-n', 'made-by-kubectl', '-o', 'json']));
      assert.deepEqual(
        [svc.spec.type, svc.spec.ports[0].port, svc.spec.ports[0].targetPort, svc.spec.selector],
        ['LoadBalancer', 443, 'https', { app: 'web' }],
      );
    });

    it('create -f makes a pool and a claim; get shows ADDRESSES TOTAL FREE USED and the address', async () => {
      const out = await ok(['create', '-f', join(FIX, 'kubectl', 'pool-and-claim.yaml')]);
      assert.match(out, /inclusterippool\.ipam\.cluster\.x-k8s\.io\/vip-pool created/);
      assert.match(out, /ipaddressclaim\.ipam\.cluster\.x-k8s\.io\/cluster-a-vip created/);
      await sb.waitFor(async () => (await pool('InClusterIPPool', 'default', 'vip-pool'))?.status?.ipAddresses?.used === 1);
      const pools = table(await ok(['get', 'inclusterippools']));
      assert.deepEqual(pools, [
        ['NAME', 'ADDRESSES', 'TOTAL', 'FREE', 'USED'],
        ['vip-pool', '["10.20.0.10-10.20.0.20"]', '11', '10', '1'],
      ]);
      const addrs = table(await ok(['get', IPADDRESSES]));
      assert.deepEqual(addrs[1]!.slice(0, 4), ['cluster-a-vip', '10.20.0.10', 'vip-pool', 'InClusterIPPool']);
      const again = await kubectl(['create', '-f', join(FIX, 'kubectl', 'pool-and-claim.yaml')]);
      assert.notEqual(again.code, 0);
      assert.match(
        again.stderr,
        /Error from server \(AlreadyExists\): error when creating ".*pool-and-claim\.yaml": inclusterippools\.ipam\.cluster\.x-k8s\.io "vip-pool" already exists/,
      );
    });

    it('apply -f creates, then reports unchanged', async () => {
      const file = join(FIX, 'kubectl', 'global-pool-and-claim.yaml');
      const out = await ok(['apply', '-f', file]);
      assert.match(out, /globalinclusterippool\.ipam\.cluster\.x-k8s\.io\/shared-vips created/);
      await sb.waitFor(() => address('default', 'cluster-b-vip'));
      const second = await ok(['apply', '-f', file]);
      assert.match(second, /shared-vips unchanged/);
      const pools = table(await ok(['get', 'globalinclusterippools']));
      assert.deepEqual(pools, [
        ['NAME', 'ADDRESSES', 'TOTAL', 'FREE', 'USED'],
        ['global-vips', '["10.50.0.0/28"]', '15', '15', '0'],
        ['shared-vips', '["10.30.0.0/24"]', '245', '244', '1'],
      ]);
      assert.deepEqual(table(await ok(['get', IPADDRESSES, 'cluster-b-vip']))[1]!.slice(0, 2), ['cluster-b-vip', '10.30.0.10']);
    });

    it('shows the webhook denial of an invalid pool', async () => {
      const r = await kubectl(['create', '-f', join(FIX, 'kubectl', 'invalid-pool.yaml')]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /spec\.addresses: Invalid value: "10\.0\.1\.27": provided address belongs to a different subnet than others/);
    });

    it('get --watch prints an event for a change', async () => {
      const child = spawn(KUBECTL, ['--kubeconfig', sb.kubeconfigPath, 'get', 'ipaddressclaims', '--watch', '--output-watch-events'], {
        env: { ...process.env, KUBECACHEDIR: cacheDir, KUBECONFIG: '' },
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      try {
        await sb.waitFor(async () => out.includes('cluster-a-vip'), 20_000);
        await sb.create({
          apiVersion: `${G}/v1beta2`,
          kind: 'IPAddressClaim',
          metadata: { name: 'watched', namespace: 'default' },
          spec: { poolRef: { apiGroup: G, kind: 'InClusterIPPool', name: 'vip-pool' } },
        });
        await sb.waitFor(async () => /ADDED\s+watched/.test(out), 10_000);
      } finally {
        child.kill('SIGTERM');
      }
      assert.match(out, /ADDED\s+watched\s+vip-pool\s+InClusterIPPool/);
    });

    it('delete of a claim releases its address; the pool can be deleted afterwards', async () => {
      assert.match(await ok(['delete', 'ipaddressclaim', 'cluster-a-vip', 'watched']), /"cluster-a-vip" deleted/);
      await sb.waitFor(async () => !(await address('default', 'cluster-a-vip')) && !(await address('default', 'watched')));
      assert.match(await ok(['delete', 'inclusterippool', 'vip-pool']), /"vip-pool" deleted/);
      assert.equal((await ok(['get', 'inclusterippools', '--ignore-not-found'])).trim(), '');
    });

    it('a pool with addresses cannot be deleted (the provider webhook)', async () => {
      const r = await kubectl(['delete', 'globalinclusterippool', 'shared-vips', '--wait=false']);
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        /Error from server \(BadRequest\): admission webhook "validation\.globalinclusterippool\.ipam\.cluster\.x-k8s\.io" denied the request: Pool has IPAddresses allocated\. Cannot delete Pool until all IPAddresses have been removed\./,
      );
    });

    it('a wrong token is Unauthorized; a forbidden verb is Forbidden', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kc-bad-'));
      const bad = join(dir, 'kubeconfig');
      const { readFileSync } = await import('node:fs');
      writeFileSync(bad, readFileSync(sb.kubeconfigPath, 'utf8').replace(sb.token, 'not-the-token'));
      const r = await kubectl(['get', 'ns'], bad);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /You must be logged in to the server \(Unauthorized\)/);
      rmSync(dir, { recursive: true, force: true });
      // The sandbox forbids by fault injection; the real server by RBAC (a ServiceAccount that may only read pools).
      sb.sandbox?.faults.forbid('list', 'ipaddresses');
      const restricted = sb.real && (await serviceAccountKubeconfig(sb, 'pool-reader', [{ apiGroups: [G], resources: ['inclusterippools'], verbs: ['list'] }]));
      try {
        const f = await kubectl(['get', IPADDRESSES], restricted?.path);
        assert.notEqual(f.code, 0);
        const user = restricted?.user ?? 'sandbox-admin';
        assert.ok(
          f.stderr.includes(
            `Error from server (Forbidden): ipaddresses.ipam.cluster.x-k8s.io is forbidden: User "${user}" cannot list resource "ipaddresses" in API group "ipam.cluster.x-k8s.io" in the namespace "default"`,
          ),
          f.stderr,
        );
      } finally {
        sb.sandbox?.faults.clear();
      }
    });
  });
