// `capi-ipam estate` and `check`/`pools` against the estate (issue 22), on both backends: a management
// cluster seeded with test/fixtures/estate and its workload clusters prod, dev and lab, each its own API
// server. Cross-cluster collisions at the VIP's line; every node address and Service with its owner; a
// stopped workload cluster and a forbidden one leave the others live; the secrets route is opt-in and
// reads only inline credentials; no token or kubeconfig content in any output.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { runCli } from '../support/cli';
import { ESTATE_SEED, ESTATE_WORKLOADS } from '../support/estateScenario';

const devFile = `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: dev
  namespace: default
spec:
  controlPlaneEndpoint:
    host: 10.10.0.40
    port: 6443
---
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: prod
  namespace: default
spec:
  controlPlaneEndpoint:
    host: 10.10.0.30
    port: 6443
`;

interface Row {
  address: string;
  role: string;
  managementCluster: string;
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  source: string;
  detail: string;
}

for (const backend of backendNames())
  describe(`capi-ipam and the estate on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let b: Backend;
    let dir: string;
    let mc: string;
    /** Every secret a run could leak: the tokens of every cluster and the CA's base64 (the kubeconfig's content). */
    let secrets: string[];
    const cli = (args: string[]) => runCli(args, dir);
    const leaks = (r: { stdout: string; stderr: string }) => secrets.filter((s) => r.stdout.includes(s) || r.stderr.includes(s));

    before(async () => {
      b = await startBackend(backend.name, { seed: ESTATE_SEED, workloads: ESTATE_WORKLOADS });
      dir = mkdtempSync(join(tmpdir(), 'capi-ipam-estate-'));
      writeFileSync(join(dir, 'clusters.yaml'), devFile);
      mc = YAML.parse(await import('node:fs').then((fs) => fs.readFileSync(b.kubeconfigPath, 'utf8')))['current-context'];
      secrets = [
        b.token,
        ...b.workloads.map((w) => w.token),
        Buffer.from(b.caPem).toString('base64'),
        ...b.workloads.map((w) => Buffer.from(w.caPem).toString('base64')),
      ];
      // The cloud provider has handed out prod's and dev's addresses.
      await b.waitFor(async () => (await b.workload('prod').rest.get('v1', 'Service', 'default', 'web'))?.spec?.loadBalancerIP === '10.10.0.40', 60_000);
      await b.waitFor(async () => (await b.workload('dev').rest.get('v1', 'Service', 'default', 'ingress'))?.spec?.loadBalancerIP === '10.10.0.44', 60_000);
    });
    after(async () => {
      await b?.stop();
    });

    test('check --workload-clusters secrets: the cross-cluster collisions at the VIP\u2019s line, naming the other cluster and object', async () => {
      const r = await cli(['check', '--kubeconfig', b.kubeconfigPath, '--workload-clusters', 'secrets', 'clusters.yaml']);
      const lines = r.stdout.split('\n').filter((l) => l.includes('[vip-in-estate]'));
      assert.deepEqual(lines, [
        `clusters.yaml:8:11: error [vip-in-estate] 10.10.0.40 is also the load-balancer IP of Service default/web in cluster default/prod of management cluster ${mc}: the address would answer for both.`,
        `clusters.yaml:18:11: error [vip-in-estate] 10.10.0.30 is also the InternalIP address of Machine default/dev-md-1 in cluster default/dev of management cluster ${mc}: the address would answer for both.`,
      ]);
      assert.equal(r.status, 1);
      assert.deepEqual(leaks(r), []);
    });

    test('the secrets route is off by default: no workload cluster is read through its Secret', async () => {
      const r = await cli(['check', '--kubeconfig', b.kubeconfigPath, 'clusters.yaml']);
      assert.ok(!r.stdout.includes('[vip-in-estate] 10.10.0.40'), r.stdout);
      const e = await cli(['estate', '--kubeconfig', b.kubeconfigPath, '--format', 'json']);
      const tree = JSON.parse(e.stdout).managementClusters[0];
      assert.deepEqual(
        tree.workloadClusters.map((w: { name: string; connection: { state: string; route?: string; context?: string } }) => [
          w.name,
          w.connection.state,
          w.connection.route ?? '',
          w.connection.context ?? '',
        ]),
        [
          ['dev', 'off', '', ''],
          ['lab', 'live', 'context', 'lab'], // its endpoint is its API server: the context of that server is used
          ['prod', 'off', '', ''],
        ],
      );
      assert.match(tree.workloadClusters[0].connection.reason, /^no context of your kubeconfig has the server 10\.10\.0\.40:6443/);
    });

    test('estate --format json: every node address and Service with its owner', async () => {
      const r = await cli(['estate', '--kubeconfig', b.kubeconfigPath, '--workload-clusters', 'secrets', '--format', 'json']);
      assert.deepEqual(leaks(r), []);
      const out = JSON.parse(r.stdout) as {
        addresses: Row[];
        findings: { code: string; message: string }[];
        managementClusters: { workloadClusters: { name: string; connection: { state: string; route: string } }[] }[];
      };
      assert.deepEqual(
        out.managementClusters[0]!.workloadClusters.map((w) => [w.name, w.connection.state, w.connection.route]),
        [
          ['dev', 'live', 'secret'],
          ['lab', 'live', 'secret'],
          ['prod', 'live', 'secret'],
        ],
      );
      const show = (x: Row) =>
        `${x.address} ${x.role} ${x.managementCluster === mc ? 'MC' : x.managementCluster} ${x.cluster} ${x.kind} ${x.namespace}/${x.name} ${x.source} ${x.detail}`;
      const ips = out.addresses
        .filter((x) => (x.role === 'node' || x.role === 'service') && /^\d/.test(x.address))
        .map(show)
        .sort();
      assert.deepEqual(ips, [
        '10.10.0.101 node MC default/prod Machine default/prod-cp-1 management InternalIP',
        '10.10.0.101 node MC default/prod Node /prod-cp-1 workload InternalIP',
        '10.10.0.102 node MC default/prod Machine default/prod-md-1 management InternalIP',
        '10.10.0.102 node MC default/prod Node /prod-md-1 workload InternalIP',
        '10.10.0.110 node MC default/dev Machine default/dev-cp-1 management InternalIP',
        '10.10.0.110 node MC default/dev Node /dev-cp-1 workload InternalIP',
        '10.10.0.120 node MC default/lab Node /lab-cp-1 workload InternalIP',
        '10.10.0.30 node MC default/dev Machine default/dev-md-1 management InternalIP',
        '10.10.0.30 node MC default/dev Node /dev-md-1 workload InternalIP',
        '10.10.0.40 service MC default/prod Service default/web workload LoadBalancer',
        '10.10.0.43 service MC default/prod Service default/legacy workload LoadBalancer',
        '10.10.0.43 service MC default/prod Service team-a/app workload LoadBalancer',
        '10.10.0.44 service MC default/dev Service default/ingress workload LoadBalancer',
      ]);
      assert.deepEqual(
        out.findings.map((f) => f.code),
        [
          'vip-in-estate',
          'vip-in-estate',
          'pool-node-address',
          'pool-node-address',
          'kube-vip-range-overlap',
          'kube-vip-range-overlap',
          'kube-vip-range-overlap',
          'kube-vip-namespace-overlap',
        ],
      );
      assert.equal(r.status, 1, 'the estate has findings with errors');
      const csv = await cli(['estate', '--kubeconfig', b.kubeconfigPath, '--workload-clusters', 'secrets', '--format', 'csv']);
      const rows = csv.stdout.split('\r\n');
      assert.equal(rows[0], 'address,role,managementCluster,cluster,kind,namespace,name,source,detail');
      assert.ok(rows.includes(`10.10.0.40,service,${mc},default/prod,Service,default,web,workload,LoadBalancer`), csv.stdout);
    });

    test('a stopped workload cluster is unreachable and named on stderr; the others stay live; a forbidden one is forbidden', async () => {
      const dev = b.workload('dev');
      await dev.stopApiServer();
      try {
        const r = await cli(['estate', '--kubeconfig', b.kubeconfigPath, '--workload-clusters', 'secrets', '--format', 'json']);
        const states = JSON.parse(r.stdout).managementClusters[0].workloadClusters.map(
          (w: { name: string; connection: { state: string } }) => `${w.name} ${w.connection.state}`,
        );
        assert.deepEqual(states, ['dev unreachable', 'lab live', 'prod live']);
        assert.match(r.stderr, new RegExp(`^capi-ipam: workload cluster default/dev \\(${mc}\\): unreachable — list: `, 'm'));
        assert.deepEqual(leaks(r), []);
      } finally {
        await dev.startApiServer();
      }
      const prod = b.workload('prod');
      await prod.forbid();
      try {
        const r = await cli(['estate', '--kubeconfig', b.kubeconfigPath, '--workload-clusters', 'secrets', '--format', 'json']);
        const w = JSON.parse(r.stdout).managementClusters[0].workloadClusters;
        assert.deepEqual(
          w.map((x: { name: string; connection: { state: string } }) => `${x.name} ${x.connection.state}`),
          ['dev live', 'lab live', 'prod forbidden'],
        );
        assert.equal(w[2].connection.reason, 'list: 403 Forbidden');
        assert.deepEqual(leaks(r), []);
      } finally {
        await prod.allow();
      }
    });

    test('a Secret kubeconfig with an exec plugin or a file path is refused, and nothing of it runs or shows', async () => {
      const marker = join(dir, 'exec-ran');
      const evil = YAML.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'lab', cluster: { server: b.workload('lab').url, 'certificate-authority-data': Buffer.from(b.workload('lab').caPem).toString('base64') } },
        ],
        users: [{ name: 'lab-admin', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'touch', args: [marker] } } }],
        contexts: [{ name: 'lab-admin@lab', context: { cluster: 'lab', user: 'lab-admin' } }],
        'current-context': 'lab-admin@lab',
      });
      const s = await b.get('v1', 'Secret', 'default', 'lab-kubeconfig');
      const put = await b.rest.request('PUT', '/api/v1/namespaces/default/secrets/lab-kubeconfig', {
        ...s,
        data: { value: Buffer.from(evil).toString('base64') },
      });
      assert.equal(put.status, 200);
      try {
        const r = await cli(['estate', '--kubeconfig', b.kubeconfigPath, '--workload-clusters', 'secrets', '--format', 'json']);
        const lab = JSON.parse(r.stdout).managementClusters[0].workloadClusters.find((w: { name: string }) => w.name === 'lab');
        assert.deepEqual(lab.connection, {
          state: 'off',
          reason: 'the kubeconfig in Secret default/lab-kubeconfig uses user key "exec": refused (only inline credentials are read)',
        });
        assert.equal(existsSync(marker), false, 'the exec plugin never ran');
        assert.ok(!r.stdout.includes(marker) && !r.stderr.includes(marker));
      } finally {
        await b.rest.request('PUT', '/api/v1/namespaces/default/secrets/lab-kubeconfig', s);
      }
    });

    test('--context is repeatable; an unknown --workload-clusters is a usage error', async () => {
      const r = await cli(['pools', '--kubeconfig', b.kubeconfigPath, '--context', mc, '--context', mc, '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      assert.ok(JSON.parse(r.stdout).some((p: { name: string }) => p.name === 'vip-pool'));
      const u = await cli(['estate', '--kubeconfig', b.kubeconfigPath, '--workload-clusters', 'all']);
      assert.equal(u.status, 2);
      assert.match(u.stderr, /^capi-ipam: unknown --workload-clusters all/);
    });
  });
