// Release over stdio against the sandbox: exactly the one claim the user confirmed is deleted. A
// node address of the same cluster, a claim another tool created under capi-ipam's naming
// convention, and a claim re-created since the confirmation all survive.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReleaseResult, ReleaseTarget } from '../../server/src/protocol';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { LspClient } from '../support/lspClient';
import { copyFixture } from '../support/workspaceCopy';

const G = 'ipam.cluster.x-k8s.io';
const ws = copyFixture();
let sb: Sandbox;
let lsp: LspClient;

const pool = (name: string, addresses: string[]) => ({
  apiVersion: `${G}/v1alpha2`,
  kind: 'GlobalInClusterIPPool',
  metadata: { name },
  spec: { addresses, prefix: 24 },
});
const claim = (namespace: string, name: string, poolName: string, meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) => ({
  apiVersion: `${G}/v1beta2`,
  kind: 'IPAddressClaim',
  metadata: { name, namespace, ...meta },
  spec: { poolRef: { apiGroup: G, kind: 'GlobalInClusterIPPool', name: poolName } },
});
const OURS = { 'capi-ipam.dev/created-by': 'capi-ipam' };
const exists = (ns: string, name: string) => {
  const c = sb.get(G, 'IPAddressClaim', ns, name);
  return !!c && !c.metadata.deletionTimestamp;
};
/** The release target once the server's live view has the claim and its address. */
const targetOf = (params: object) =>
  lsp.untilInventory(
    () =>
      lsp.request<ReleaseTarget>('capiIpam/releaseTarget', params).then(
        (t) => (t.address ? t : undefined),
        () => undefined,
      ),
    10_000,
    `release target ${JSON.stringify(params)}`,
  );

/** team-b/prod: VIP 10.10.0.20, held by prod-control-plane-vip; node address 10.10.0.31, held by prod-node-0. */
function prodFile(): string {
  const path = join(ws.dir, 'clusters', 'team-b-prod.yaml');
  writeFileSync(
    path,
    `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: prod
  namespace: team-b
spec:
  controlPlaneEndpoint:
    host: 10.10.0.20
    port: 6443
`,
  );
  return pathToFileURL(path).toString();
}

before(async () => {
  sb = await startSandbox({ kubeconfig: join(mkdtempSync(join(tmpdir(), 'capi-ipam-release-')), 'kubeconfig') });
  sb.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } });
  // The provider fulfils a claim labelled with a cluster only once that Cluster exists.
  sb.create({
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Cluster',
    metadata: { name: 'prod', namespace: 'team-b' },
    spec: { controlPlaneEndpoint: { host: '10.10.0.20', port: 6443 } },
  });
  sb.create(pool('team-b-vips', ['10.10.0.20']));
  sb.create(pool('team-b-nodes', ['10.10.0.31']));
  sb.create(pool('other-vips', ['10.40.0.10-10.40.0.20']));
  const prod = { 'cluster.x-k8s.io/cluster-name': 'prod' };
  sb.create(claim('team-b', 'prod-control-plane-vip', 'team-b-vips', { labels: prod, annotations: { ...OURS, 'capi-ipam.dev/cluster': 'prod' } }));
  sb.create(claim('team-b', 'prod-node-0', 'team-b-nodes', { labels: prod })); // made by CAPV for a machine, not by us
  await sb.waitFor(() => sb.get(G, 'IPAddress', 'team-b', 'prod-control-plane-vip') && sb.get(G, 'IPAddress', 'team-b', 'prod-node-0'), 5000);
  prodFile();
  lsp = await LspClient.start({ folder: ws.dir, settings: { kubeconfig: sb.kubeconfigPath } });
  await lsp.waitForState('connected');
});

after(async () => {
  await lsp?.stop();
  await sb?.stop();
  ws.dispose();
});

test('the node address prod-node-0 is released by name; the VIP claim of the same cluster stays', async () => {
  const target = await targetOf({ claim: { namespace: 'team-b', name: 'prod-node-0' } });
  assert.deepEqual(target, {
    claim: { namespace: 'team-b', name: 'prod-node-0' },
    uid: sb.get(G, 'IPAddressClaim', 'team-b', 'prod-node-0')!.metadata.uid,
    ours: false,
    address: '10.10.0.31',
    pool: 'GlobalInClusterIPPool team-b-nodes',
    cluster: 'prod',
  });
  await assert.rejects(
    lsp.request('capiIpam/release', { claim: target.claim, uid: target.uid }),
    /IPAddressClaim team-b\/prod-node-0 was not created by capi-ipam .*nothing deleted/,
  );
  assert.ok(exists('team-b', 'prod-node-0') && exists('team-b', 'prod-control-plane-vip'), 'an unconfirmed foreign claim is not deleted');
  const r = await lsp.request<ReleaseResult>('capiIpam/release', { claim: target.claim, uid: target.uid, foreignConfirmed: true });
  assert.deepEqual(r.released.claim, { namespace: 'team-b', name: 'prod-node-0' });
  await sb.waitFor(() => !exists('team-b', 'prod-node-0'), 5000);
  assert.ok(exists('team-b', 'prod-control-plane-vip'), 'the VIP claim prod-control-plane-vip is untouched');
});

test('for a cluster, the target is the claim holding its VIP, not another claim labelled with the cluster', async () => {
  sb.create(claim('team-b', 'prod-node-1', 'other-vips', { labels: { 'cluster.x-k8s.io/cluster-name': 'prod' }, annotations: OURS }));
  await sb.waitFor(() => sb.get(G, 'IPAddress', 'team-b', 'prod-node-1'), 5000);
  const target = await targetOf({ cluster: { name: 'prod', namespace: 'team-b' } });
  assert.deepEqual([target.claim, target.address, target.ours], [{ namespace: 'team-b', name: 'prod-control-plane-vip' }, '10.10.0.20', true]);
  await lsp.request<ReleaseResult>('capiIpam/release', { claim: target.claim, uid: target.uid });
  await sb.waitFor(() => !exists('team-b', 'prod-control-plane-vip'), 5000);
  assert.ok(exists('team-b', 'prod-node-1'), 'only the named claim is deleted, even one of ours of the same cluster');
});

test('a claim another tool created under our naming convention needs a confirmation by name', async () => {
  sb.create(claim('default', 'helmed-control-plane-vip', 'other-vips', { annotations: { 'capi-ipam.dev/created-by': 'helm' } }));
  await sb.waitFor(() => sb.get(G, 'IPAddress', 'default', 'helmed-control-plane-vip'), 5000);
  const target = await targetOf({ cluster: { name: 'helmed', namespace: 'default' } });
  assert.deepEqual([target.claim.name, target.ours], ['helmed-control-plane-vip', false]);
  await assert.rejects(lsp.request('capiIpam/release', { claim: target.claim, uid: target.uid }), /not created by capi-ipam/);
  assert.ok(exists('default', 'helmed-control-plane-vip'));
});

test('a claim re-created since the confirmation is not deleted (UID precondition)', async () => {
  sb.create(claim('default', 'again-control-plane-vip', 'other-vips', { annotations: OURS }));
  const target = await targetOf({ claim: { namespace: 'default', name: 'again-control-plane-vip' } });
  sb.delete('IPAddressClaim', 'default', 'again-control-plane-vip');
  await sb.waitFor(() => !sb.get(G, 'IPAddressClaim', 'default', 'again-control-plane-vip'), 5000);
  sb.create(claim('default', 'again-control-plane-vip', 'other-vips', { annotations: OURS }));
  await assert.rejects(lsp.request('capiIpam/release', { claim: target.claim, uid: target.uid }), /was re-created since it was confirmed: nothing deleted/);
  assert.ok(exists('default', 'again-control-plane-vip'));
});

test('nothing to release: a clear error before any prompt', async () => {
  await assert.rejects(
    lsp.request('capiIpam/releaseTarget', { cluster: { name: 'staging', namespace: 'default' } }),
    /no IPAddressClaim holds the VIP of cluster default\/staging: nothing to release/,
  );
  await assert.rejects(
    lsp.request('capiIpam/releaseTarget', { claim: { namespace: 'default', name: 'nope' } }),
    /no IPAddressClaim default\/nope in the management cluster/,
  );
});

test('a failed delete reports the status code and reason only, never the raw response', async () => {
  sb.create(claim('default', 'fails-control-plane-vip', 'other-vips', { annotations: OURS }));
  const target = await targetOf({ claim: { namespace: 'default', name: 'fails-control-plane-vip' } });
  sb.faults.failNext(1, 500, (r) => r.verb === 'delete');
  await assert.rejects(lsp.request('capiIpam/release', { claim: target.claim, uid: target.uid }), (e: Error) => {
    assert.equal(e.message, 'deleting IPAddressClaim default/fails-control-plane-vip failed: 500 InternalError');
    return true;
  });
  sb.faults.forbid('delete', 'ipaddressclaims');
  await assert.rejects(lsp.request('capiIpam/release', { claim: target.claim, uid: target.uid }), (e: Error) => {
    assert.equal(e.message, 'deleting IPAddressClaim default/fails-control-plane-vip failed: 403 Forbidden');
    return true;
  });
  sb.faults.clear();
  assert.ok(exists('default', 'fails-control-plane-vip'));
});

test('an API error during allocation is reported as status code and reason only', async () => {
  sb.create(claim('default', 'dev-control-plane-vip', 'other-vips', { annotations: OURS }));
  await sb.waitFor(() => sb.get(G, 'IPAddress', 'default', 'dev-control-plane-vip'), 5000);
  sb.faults.failNext(1, 500, (r) => r.verb === 'get' && r.resource === 'ipaddressclaims');
  const dev = pathToFileURL(join(ws.dir, 'clusters', 'dev.yaml')).toString();
  const params = { uri: dev, cluster: { name: 'dev', namespace: 'default' }, pool: { kind: 'GlobalInClusterIPPool', name: 'other-vips' } };
  await assert.rejects(lsp.request('capiIpam/allocate', params), (e: Error) => {
    assert.equal(e.message, 'IPAddressClaim request failed: 500 InternalError');
    return true;
  });
  sb.faults.clear();
});
