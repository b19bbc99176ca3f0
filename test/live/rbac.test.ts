// The README's minimal ClusterRole, on the real kube-apiserver's RBAC: a ServiceAccount bound to exactly
// that role gets a connected language server and can allocate and release; one verb less is `forbidden`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { LspClient, ROOT } from '../support/lspClient';
import { serviceAccountKubeconfig, type PolicyRule } from '../support/rbac';
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
