// The README's minimal ClusterRole, on the real kube-apiserver's RBAC: a ServiceAccount bound to exactly
// that role gets a connected language server and can allocate and release; one verb less is `forbidden`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { LspClient, ROOT } from '../support/lspClient';
import { readmeRbac, serviceAccountKubeconfig, serviceAccountToken, type PolicyRule } from '../support/rbac';
import { ESTATE_SEED, ESTATE_WORKLOADS } from '../support/estateScenario';
import { kubeconfigOf } from '../support/workloads';
import type { EstateResult } from '../../server/src/protocol';
import { copyFixture } from '../support/workspaceCopy';

const G = 'ipam.cluster.x-k8s.io';
const real = backendNames().find((b) => b.name === 'real');

/** The ClusterRole YAML block that follows the marker in README.md. */
function readmeRules(): PolicyRule[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- capi-ipam-clusterrole -->\n```yaml\n([\s\S]*?)```/.exec(text);
  assert.ok(m, 'README.md shows the ClusterRole');
  return YAML.parse(m[1]!).rules;
}

function cli(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the README ClusterRole on the real server', { skip: !real ? 'CAPI_IPAM_BACKENDS selects the sandbox only' : real.skip }, () => {
  let b: Backend;
  const ws = copyFixture();
  before(async () => {
    b = await startBackend('real');
    await b.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab' } });
    await b.create({
      apiVersion: `${G}/v1alpha2`,
      kind: 'GlobalInClusterIPPool',
      metadata: { name: 'rbac-vips' },
      spec: { addresses: ['10.80.0.10-10.80.0.12'], prefix: 24 },
    });
  });
  after(async () => {
    await b?.stop();
    ws.dispose();
  });

  test('exactly that role: the language server connects; allocate and release work', async () => {
    const sa = await serviceAccountKubeconfig(b, 'capi-ipam', readmeRules());
    const lsp = await LspClient.start({ folder: ws.dir, settings: { kubeconfig: sa.path } });
    try {
      await lsp.waitForState('connected', 30_000);
    } finally {
      await lsp.stop();
    }
    const alloc = await cli(['allocate', 'clusters/lab.yaml', '--cluster', 'lab', '--pool', 'rbac-vips', '--kubeconfig', sa.path], ws.dir);
    assert.equal(alloc.status, 0, alloc.stderr);
    assert.equal(alloc.stdout, '10.80.0.10\n');
    const rel = await cli(['release', 'clusters/lab.yaml', '--cluster', 'lab', '--kubeconfig', sa.path], ws.dir);
    assert.equal(rel.status, 0, rel.stderr);
    assert.match(rel.stderr, /deleted IPAddressClaim lab\/lab-control-plane-vip/);
  });

  test("a role without services: the state is forbidden, with the real server's 403", async () => {
    const rules = readmeRules().map((r) => (r.resources.includes('services') ? { ...r, resources: r.resources.filter((x) => x !== 'services') } : r));
    const sa = await serviceAccountKubeconfig(b, 'capi-ipam-no-services', rules);
    const lsp = await LspClient.start({ folder: ws.dir, settings: { kubeconfig: sa.path } });
    try {
      const s = await lsp.waitForState('forbidden', 30_000);
      assert.match(
        s.reason ?? '',
        /cannot list Service: 403 services is forbidden: User "system:serviceaccount:default:capi-ipam-no-services" cannot list resource "services" in API group "" at the cluster scope/,
      );
    } finally {
      await lsp.stop();
    }
  });
});

describe('the README roles for the estate on the real server', { skip: !real ? 'CAPI_IPAM_BACKENDS selects the sandbox only' : real.skip }, () => {
  let b: Backend;
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-estate-rbac-'));
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const clusterRole = readmeRbac(readme, 'capi-ipam-clusterrole');
  /** README's Role for the secrets route, naming this estate's one Secret. */
  const secretsRole = readmeRbac(readme, 'capi-ipam-secrets-role').map((r) => ({
    ...r,
    rules: r.rules.map((x) => ({ ...x, resourceNames: ['prod-kubeconfig'] })),
  }));
  const lsps: LspClient[] = [];
  const estate = async (endpoints: Parameters<typeof kubeconfigOf>[0], workloadClusters: unknown, want: string) => {
    const path = join(dir, `kubeconfig-${lsps.length}`);
    writeFileSync(path, kubeconfigOf(endpoints), { mode: 0o600 });
    const lsp = await LspClient.start({ folder: dir, settings: { kubeconfig: path, workloadClusters } });
    lsps.push(lsp);
    return lsp.untilInventory(async () => {
      const r = await lsp.request<EstateResult>('capiIpam/estate');
      const prod = r.managementClusters[0]?.workloadClusters.find((w) => w.name === 'prod');
      return prod?.connection.state === want && prod;
    }, 60_000);
  };

  before(async () => {
    b = await startBackend('real', { seed: ESTATE_SEED, workloads: ESTATE_WORKLOADS.filter((w) => w.name === 'prod') });
  });
  after(async () => {
    for (const l of lsps) await l.stop();
    await b?.stop();
  });

  test('the secrets route: the ClusterRole and the secrets Role read prod live; without the Role its Secret is forbidden', async () => {
    const token = await serviceAccountToken(b.rest, 'estate-secrets', [...clusterRole, ...secretsRole]);
    const prod = await estate([{ name: 'mgmt', url: b.url, caPem: b.caPem, token }], 'secrets', 'live');
    assert.deepEqual(prod.connection.route, 'secret');
    const bare = await serviceAccountToken(b.rest, 'estate-no-secrets', clusterRole);
    const denied = await estate([{ name: 'mgmt', url: b.url, caPem: b.caPem, token: bare }], 'secrets', 'forbidden');
    assert.equal(denied.connection.reason, 'cannot read Secret default/prod-kubeconfig: 403 Forbidden');
  });

  test('the contexts route with the README workload role: Services, Nodes, the kubevip ConfigMap and the lease holder', async () => {
    const w = b.workload('prod');
    const token = await serviceAccountToken(b.rest, 'estate-mgmt', clusterRole);
    const reader = await serviceAccountToken(w.rest, 'capi-ipam-reader', readmeRbac(readme, 'capi-ipam-workload-clusterrole'));
    const prod = await estate(
      [
        { name: 'mgmt', url: b.url, caPem: b.caPem, token },
        { name: 'prod-reader', url: w.url, caPem: w.caPem, token: reader },
      ],
      { 'default/prod': 'prod-reader' },
      'live',
    );
    assert.deepEqual([prod.connection.route, prod.connection.context], ['context', 'prod-reader']);
    assert.equal(prod.vip?.holder, 'prod-cp-1');
    assert.deepEqual(
      prod.nodes.map((n) => n.name),
      ['prod-cp-1', 'prod-md-1'],
    );
    assert.deepEqual(
      prod.kubeVipRanges.map((r) => r.key),
      ['range-global', 'range-team-a'],
    );
    assert.ok(prod.services.some((s) => s.name === 'web'));
  });
});
