// The language server and the estate (issue 22), over stdio, on both backends: capiIpam/estate shows
// every workload cluster with its state, VIP and lease holder, nodes, Services and kube-vip ranges; the
// file's clusters are checked against the whole estate (vip-in-estate at the VIP's line), the findings
// about live objects alone go to the view only; a stopped workload cluster shows cached while the others
// stay live; one forbidden from the start is forbidden; the secrets route is off by default and nothing is
// read in an untrusted workspace; no token in the server's log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { LspClient, messageOf } from '../support/lspClient';
import { ESTATE_SEED, ESTATE_WORKLOADS } from '../support/estateScenario';
import type { EstateResult, EstateWorkloadCluster } from '../../server/src/protocol';

const files = `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: dev
  namespace: default
spec:
  controlPlaneEndpoint:
    host: 10.10.0.40
    port: 6443
`;

const states = (r: EstateResult) => r.managementClusters[0]?.workloadClusters.map((w) => `${w.name} ${w.connection.state}`) ?? [];

/** The Estate view once its workload clusters' states are `want` ("dev live,lab live,prod live"); a timeout names the last states seen. */
async function until(lsp: LspClient, want: string, timeoutMs = 60_000): Promise<EstateResult> {
  let last: EstateResult | undefined;
  try {
    return await lsp.untilInventory(async () => {
      last = await lsp.request<EstateResult>('capiIpam/estate');
      return states(last).join() === want && last;
    }, timeoutMs);
  } catch (e) {
    const seen = last?.managementClusters[0]?.workloadClusters.map((w) => `${w.name} ${w.connection.state} ${w.connection.reason ?? ''}`);
    throw new Error(`waiting for ${want}, last seen ${JSON.stringify(seen)}: ${(e as Error).message}`);
  }
}

for (const backend of backendNames())
  describe(`the Estate view on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let b: Backend;
    let dir: string;
    let uri: string;
    let mc: string;
    const clients: LspClient[] = [];
    const start = async (settings: Record<string, unknown>, trusted = true) => {
      const c = await LspClient.start({ folder: dir, settings: { kubeconfig: b.kubeconfigPath, ...settings }, trusted });
      clients.push(c);
      return c;
    };
    const estate = (c: LspClient) => c.request<EstateResult>('capiIpam/estate');
    const noTokens = (c: LspClient) => {
      const log = c.logs.join('\n');
      assert.deepEqual(
        [b.token, ...b.workloads.map((w) => w.token)].filter((t) => log.includes(t)),
        [],
      );
    };

    before(async () => {
      b = await startBackend(backend.name, { seed: ESTATE_SEED, workloads: ESTATE_WORKLOADS });
      dir = mkdtempSync(join(tmpdir(), 'capi-ipam-estate-lsp-'));
      writeFileSync(join(dir, 'dev.yaml'), files);
      uri = pathToFileURL(join(dir, 'dev.yaml')).toString();
      mc = YAML.parse(readFileSync(b.kubeconfigPath, 'utf8'))['current-context'];
      await b.waitFor(async () => (await b.workload('prod').rest.get('v1', 'Service', 'default', 'web'))?.spec?.loadBalancerIP === '10.10.0.40', 60_000);
    });
    after(async () => {
      for (const c of clients) await c.stop();
      await b?.stop();
    });

    test('secrets route: the file\u2019s VIP against the estate, the Estate view of every cluster, a stopped one cached', async () => {
      const lsp = await start({ workloadClusters: 'secrets' });
      await lsp.waitForState('connected');
      const [d] = await lsp.waitForDiagnostic(uri, 'vip-in-estate', 30_000);
      assert.deepEqual(
        { range: d!.range, message: messageOf(d!) },
        {
          range: { start: { line: 7, character: 10 }, end: { line: 7, character: 20 } },
          message: `10.10.0.40 is also the load-balancer IP of Service default/web in cluster default/prod of management cluster ${mc}: the address would answer for both.`,
        },
      );
      const r = await until(lsp, 'dev live,lab live,prod live', 30_000);
      assert.equal(r.enabled, true);
      assert.equal(r.workloadClusters, 'secrets');
      assert.deepEqual(r.managementClusters[0]!.connection.state, 'live');
      const prod = r.managementClusters[0]!.workloadClusters.find((w) => w.name === 'prod')!;
      assert.deepEqual(prod.connection.route, 'secret');
      assert.deepEqual(prod.vip, { address: '10.10.0.30', source: 'Cluster default/prod .spec.controlPlaneEndpoint.host', holder: 'prod-cp-1' });
      assert.deepEqual(
        prod.nodes.map((n) => `${n.name} ${n.machine} ${n.from.join('+')} ${n.addresses.map((a) => `${a.type}=${a.address}`).join(' ')}`),
        [
          'prod-cp-1 default/prod-cp-1 Machine+Node Hostname=prod-cp-1 InternalIP=10.10.0.101',
          'prod-md-1 default/prod-md-1 Machine+Node Hostname=prod-md-1 InternalIP=10.10.0.102',
        ],
      );
      assert.deepEqual(
        prod.services.map((s) => `${s.namespace}/${s.name} ${s.ips.join(',')}`),
        ['default/legacy 10.10.0.43', 'default/web 10.10.0.40', 'team-a/app 10.10.0.43'],
      );
      assert.deepEqual(
        prod.kubeVipRanges.map((k) => `${k.key} ${k.entry} ${k.used}/${k.size}`),
        ['range-global 10.10.0.40-10.10.0.44 3/5', 'range-team-a 10.10.0.43-10.10.0.46 2/4'],
      );
      // dev's VIP is the file's (a diagnostic); prod's VIP on dev's node is live-only: the view's.
      assert.deepEqual(
        r.findings.map((f) => `${f.code} ${f.subject.kind} ${f.subject.workloadCluster ?? ''}${f.subject.namespace ?? ''}/${f.subject.name}`),
        [
          'vip-in-estate Cluster default/prod',
          'pool-node-address InClusterIPPool default/node-pool',
          'pool-node-address GlobalInClusterIPPool /vip-pool',
          'kube-vip-range-overlap ConfigMap default/devkube-system/kubevip',
          'kube-vip-range-overlap ConfigMap default/prodkube-system/kubevip',
          'kube-vip-range-overlap ConfigMap default/prodkube-system/kubevip',
          'kube-vip-namespace-overlap ConfigMap default/prodkube-system/kubevip',
        ],
      );

      const dev = b.workload('dev');
      const before = Date.now();
      await dev.stopApiServer();
      try {
        const down = await until(lsp, 'dev cached,lab live,prod live', 60_000);
        const d2 = down.managementClusters[0]!.workloadClusters.find((w) => w.name === 'dev') as EstateWorkloadCluster;
        assert.ok(d2.connection.cachedAt! >= before - 1000 && d2.connection.cachedAt! <= Date.now(), 'cached as of the outage');
        assert.deepEqual(
          d2.services.map((s) => `${s.namespace}/${s.name} ${s.ips.join(',')}`),
          ['default/ingress 10.10.0.44'],
          'what it last listed',
        );
        assert.equal(lsp.states.at(-1)?.state, 'connected', 'the management cluster is not affected');
      } finally {
        await dev.startApiServer();
      }
      await until(lsp, 'dev live,lab live,prod live');
      noTokens(lsp);
    });

    test('a workload cluster forbidden from the start is forbidden; the others are live', async () => {
      const prod = b.workload('prod');
      await prod.forbid();
      try {
        const lsp = await start({ workloadClusters: 'secrets' });
        const r = await until(lsp, 'dev live,lab live,prod forbidden', 30_000);
        assert.match(
          r.managementClusters[0]!.workloadClusters.find((w) => w.name === 'prod')!.connection.reason!,
          /^cannot list (Service|ConfigMap|Node): 403 /,
        );
        noTokens(lsp);
      } finally {
        await prod.allow();
      }
    });

    test('a kubeconfig Secret written after the Cluster: off until it exists, then live (the route is looked up again)', async () => {
      const secret = await b.get('v1', 'Secret', 'default', 'lab-kubeconfig');
      assert.equal((await b.rest.delete('v1', 'Secret', 'default', 'lab-kubeconfig')).status, 200);
      const lsp = await start({ workloadClusters: 'secrets' });
      const r = await until(lsp, 'dev live,lab off,prod live', 30_000);
      assert.equal(r.managementClusters[0]!.workloadClusters[1]!.connection.reason, 'cannot read Secret default/lab-kubeconfig: 404 NotFound');
      const { metadata, ...rest } = secret!;
      assert.equal((await b.rest.create({ ...rest, metadata: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels } })).status, 201);
      await until(lsp, 'dev live,lab live,prod live', 30_000);
    });

    test('by default the contexts route: lab through its context, dev and prod off with the reason; untrusted reads nothing', async () => {
      const lsp = await start({});
      const r = await until(lsp, 'dev off,lab live,prod off', 30_000);
      assert.equal(r.workloadClusters, 'contexts');
      const lab = r.managementClusters[0]!.workloadClusters.find((w) => w.name === 'lab')!;
      assert.deepEqual([lab.connection.route, lab.connection.context], ['context', 'lab']);
      assert.equal(
        r.managementClusters[0]!.workloadClusters.find((w) => w.name === 'prod')!.connection.reason,
        'no context of your kubeconfig has the server 10.10.0.30:6443; map one in capiIpam.workloadClusters or use the secrets route',
      );
      // Mapped explicitly.
      const mapped = await start({ workloadClusters: { 'default/prod': 'prod' } });
      await until(mapped, 'dev off,lab live,prod live', 30_000);

      const untrusted = await start({ workloadClusters: 'secrets' }, false);
      await untrusted.waitForState('untrusted');
      assert.deepEqual(await estate(untrusted), {
        enabled: false,
        reason: 'Restricted Mode: no kubeconfig is read and no cluster is contacted',
        workloadClusters: 'secrets',
        managementClusters: [],
        findings: [],
      });
    });
  });
