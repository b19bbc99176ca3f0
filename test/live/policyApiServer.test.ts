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
    await server.apply(policyYaml(workspace.snapshot().analysis, 'vap').yaml);
    const bad = await server.untilRejected('10.10.9.9');
    assert.equal(bad.allowed, false, 'a VIP outside every pool is rejected');
    assert.match(bad.message, /controlPlaneEndpoint\.host 10\.10\.9\.9 is not an address the VIP pools can allocate/);
    assert.equal((await server.admitsCluster('10.10.0.52')).allowed, false, 'an excluded address is rejected');
    assert.deepEqual(await server.admitsCluster('10.10.0.16'), { allowed: true, status: 201, message: '' });
    assert.equal((await server.admitsCluster('${CONTROL_PLANE_ENDPOINT_IP}')).allowed, true);
    assert.equal((await server.admitsCluster('10.10.1.2')).allowed, false, 'a node pool address is no VIP');
    assert.equal((await server.admitsCluster('api.lab.local')).allowed, true, 'a DNS host is not matched');
  });

  test('a missing parameter ConfigMap never blocks: no Service or Cluster is refused for it', async () => {
    const server = new PolicyOnApiServer(stack.kubeconfigPath);
    await server.untilRejected('10.10.9.9'); // the policy of the test above is in force
    const svc = (name: string, spec: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec: { ports: [{ port: 80 }], ...spec },
    });
    const guarded = svc('guarded', { type: 'LoadBalancer', loadBalancerIP: '10.10.9.9' });
    assert.equal((await server.admits(guarded)).allowed, false, 'with the ConfigMap: outside the kube-vip ranges');
    await server.remove({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'capi-ipam-policy-params', namespace: 'kube-system' } });
    // The ConfigMap's absence reaches the policy asynchronously (an informer): each probe is a request.
    const deadline = Date.now() + 30_000;
    let answer = await server.admits(guarded);
    while (!answer.allowed && Date.now() < deadline) answer = await server.admits(guarded);
    assert.deepEqual(answer, { allowed: true, status: 201, message: '' }, 'without its parameters the policy checks nothing');
    assert.deepEqual(await server.admits(svc('plain', { type: 'ClusterIP' })), { allowed: true, status: 201, message: '' });
    assert.deepEqual(await server.admits(svc('dynamic', { type: 'LoadBalancer' })), { allowed: true, status: 201, message: '' });
    assert.deepEqual(await server.admitsCluster('api.lab.local'), { allowed: true, status: 201, message: '' });
    assert.deepEqual(await server.admitsCluster('10.10.9.9'), { allowed: true, status: 201, message: '' });
  });
});
