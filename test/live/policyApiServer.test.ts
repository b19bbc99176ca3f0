// The generated ValidatingAdmissionPolicy in the real kube-apiserver of the real stack (issue 8): the
// CEL runs in the server. The sandbox cannot stand in: it evaluates no admission policies
// (test/unit/policy/vap.test.ts runs the same CEL with Kubernetes' own CEL library on both lanes).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadWorkspace } from '../../server/src/cli/files';
import { policyYaml } from '../../server/src/engine/policy/yaml';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { ROOT } from '../support/lspClient';
import { PolicyOnApiServer } from '../support/policyOnApiServer';

const real = backendNames().find((b) => b.name === 'real');

describe('the admission policy in the real kube-apiserver', { skip: real ? real.skip : 'CAPI_IPAM_BACKENDS excludes the real lane' }, () => {
  let stack: Backend;
  before(async () => {
    stack = await startBackend('real');
  });
  after(() => stack?.stop());

  test('kube-apiserver rejects a Cluster whose VIP no pool can allocate and admits a good one', async () => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    const { workspace } = loadWorkspace(['test/fixtures/workspace']);
    process.chdir(cwd);
    const server = new PolicyOnApiServer(stack.kubeconfigPath);
    await server.apply(policyYaml(workspace.analyze().inventory, 'vap').yaml);
    const bad = await server.untilRejected('10.10.9.9');
    assert.equal(bad.allowed, false, 'a VIP outside every pool is rejected');
    assert.match(bad.message, /controlPlaneEndpoint\.host 10\.10\.9\.9 is not an address the VIP pools can allocate/);
    assert.equal((await server.admitsCluster('10.10.0.52')).allowed, false, 'an excluded address is rejected');
    assert.deepEqual(await server.admitsCluster('10.10.0.16'), { allowed: true, status: 201, message: '' });
    assert.equal((await server.admitsCluster('${CONTROL_PLANE_ENDPOINT_IP}')).allowed, true);
  });
});
