// The sandbox over HTTPS through @kubernetes/client-node: CRUD, watch, 410, the provider's
// conformance cases (CAIP internal/controllers tests), webhook messages (internal/webhooks tests) and fault hooks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import * as k8s from '@kubernetes/client-node';
import { startSandbox, type Sandbox } from '../sandbox/index';

const G = 'ipam.cluster.x-k8s.io';
let sb: Sandbox;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let crd: k8s.CustomObjectsApi;
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

function statusOf(e: unknown): { code: number; reason?: string; message?: string } {
  assert.ok(e instanceof k8s.ApiException, `expected ApiException, got ${String(e)}`);
  const body = typeof e.body === 'string' && e.body ? JSON.parse(e.body) : {};
  return { code: e.code, reason: body.reason, message: body.message };
}

async function rejects(p: Promise<unknown>): Promise<{ code: number; reason?: string; message?: string }> {
  try {
    await p;
  } catch (e) {
    return statusOf(e);
  }
  assert.fail('expected the request to fail');
}

function raw(method: string, path: string, opts: { headers?: Record<string, string>; body?: string; token?: string | null; timeoutMs?: number } = {}) {
  const u = new URL(path, sb.url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token !== null) headers.Authorization = `Bearer ${opts.token ?? sb.token}`;
    const req = request(u, { method, ca: sb.caPem, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

let nsCounter = 0;
async function namespace(): Promise<string> {
  const name = `t${++nsCounter}-${Date.now().toString(36)}`;
  await core.createNamespace({ body: { metadata: { name } } });
  return name;
}

function pool(name: string, spec: Record<string, unknown>, global = false, annotations?: Record<string, string>) {
  return {
    apiVersion: `${G}/v1alpha2`,
    kind: global ? 'GlobalInClusterIPPool' : 'InClusterIPPool',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec,
  };
}

async function createPool(ns: string | undefined, name: string, spec: Record<string, unknown>, annotations?: Record<string, string>) {
  if (ns === undefined)
    return crd.createClusterCustomObject({ group: G, version: 'v1alpha2', plural: 'globalinclusterippools', body: pool(name, spec, true, annotations) });
  return crd.createNamespacedCustomObject({
    group: G,
    version: 'v1alpha2',
    namespace: ns,
    plural: 'inclusterippools',
    body: pool(name, spec, false, annotations),
  });
}

async function createClaim(
  ns: string,
  name: string,
  poolName: string,
  kind = 'InClusterIPPool',
  extra: { labels?: Record<string, string>; clusterName?: string; apiGroup?: string } = {},
) {
  return crd.createNamespacedCustomObject({
    group: G,
    version: 'v1beta2',
    namespace: ns,
    plural: 'ipaddressclaims',
    body: {
      apiVersion: `${G}/v1beta2`,
      kind: 'IPAddressClaim',
      metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
      spec: { poolRef: { apiGroup: extra.apiGroup ?? G, kind, name: poolName }, ...(extra.clusterName ? { clusterName: extra.clusterName } : {}) },
    },
  });
}

/** Waits until the claim's IPAddress exists and the claim points at it; returns the address object. */
async function allocated(ns: string, name: string, timeoutMs = 3000): Promise<Record<string, any>> {
  return sb.waitFor(() => {
    const claim = sb.get(G, 'IPAddressClaim', ns, name);
    const addr = sb.get(G, 'IPAddress', ns, name);
    return claim?.status?.addressRef?.name === name && addr ? addr : undefined;
  }, timeoutMs);
}

async function getAddress(ns: string, name: string) {
  return crd.getNamespacedCustomObject({ group: G, version: 'v1beta2', namespace: ns, plural: 'ipaddresses', name });
}

async function deleteClaim(ns: string, name: string) {
  await crd.deleteNamespacedCustomObject({ group: G, version: 'v1beta2', namespace: ns, plural: 'ipaddressclaims', name });
}

/**
 * Resolves once the provider has reconciled the object of `key` (its reconcile log: `claim|ns|name`,
 * `pool|kind|ns|name`) with a result that starts with `result`: the event after which a test can
 * show that nothing more happened, without waiting on the clock.
 */
function reconciled(key: string, result: string) {
  return sb.waitFor(() => sb.provider.log.some((l) => l.key === key && l.result.startsWith(result)));
}

before(async () => {
  sb = await startSandbox({ heartbeatMs: 500 });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(sb.kubeconfigPath);
  core = kc.makeApiClient(k8s.CoreV1Api);
  crd = kc.makeApiClient(k8s.CustomObjectsApi);
});

after(async () => {
  await sb.stop();
});

describe('kubeconfig, discovery, auth', () => {
  it('writes a kubeconfig with the token and the CA, context sandbox', () => {
    assert.equal(kc.getCurrentContext(), 'sandbox');
    assert.equal(kc.getCurrentUser()?.token, sb.token);
    assert.equal(Buffer.from(kc.getCurrentCluster()!.caData!, 'base64').toString(), sb.caPem);
    assert.equal(kc.getCurrentCluster()!.server, sb.url);
  });

  it('reports Kubernetes 1.32 and serves discovery for every kind', async () => {
    const v = await kc.makeApiClient(k8s.VersionApi).getCode();
    assert.equal(v.major, '1');
    assert.equal(v.minor, '32');
    const groups = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    const ipam = groups.groups.find((g) => g.name === G)!;
    assert.deepEqual(
      ipam.versions.map((v) => v.version),
      ['v1beta2', 'v1beta1', 'v1alpha2', 'v1alpha1'],
    );
    assert.equal(ipam.preferredVersion?.version, 'v1beta2');
    const list = JSON.parse((await raw('GET', `/apis/${G}/v1alpha2`)).body);
    const pools = list.resources.find((r: any) => r.name === 'inclusterippools');
    assert.equal(pools.namespaced, true);
    assert.deepEqual(pools.categories, ['cluster-api']);
    assert.ok(pools.verbs.includes('watch'));
    assert.ok(list.resources.some((r: any) => r.name === 'globalinclusterippools' && r.namespaced === false));
    const coreList = await core.getAPIResources();
    assert.deepEqual(coreList.resources.find((r) => r.name === 'services')?.shortNames, ['svc']);
    const namespaces = await core.listNamespace();
    assert.deepEqual(
      namespaces.items.map((n) => n.metadata?.name).filter((n) => n === 'default' || n === 'kube-system'),
      ['default', 'kube-system'],
    );
  });

  it('generic clients resolve kinds through discovery (KubernetesObjectApi)', async () => {
    const ns = await namespace();
    const objApi = k8s.KubernetesObjectApi.makeApiClient(kc);
    await objApi.create({
      apiVersion: `${G}/v1alpha2`,
      kind: 'InClusterIPPool',
      metadata: { name: 'p', namespace: ns },
      spec: { addresses: ['10.9.0.10'], prefix: 24 },
    } as k8s.KubernetesObject);
    const read = await objApi.read({ apiVersion: `${G}/v1alpha2`, kind: 'InClusterIPPool', metadata: { name: 'p', namespace: ns } });
    assert.equal((read as any).spec.addresses[0], '10.9.0.10');
  });

  it('answers 401 without or with a wrong token, but /version anonymously', async () => {
    assert.equal((await raw('GET', '/api/v1/namespaces', { token: null })).status, 401);
    const wrong = await raw('GET', '/api/v1/namespaces', { token: 'nope' });
    assert.equal(wrong.status, 401);
    assert.equal(JSON.parse(wrong.body).reason, 'Unauthorized');
    assert.equal((await raw('GET', '/version', { token: null })).status, 200);
  });

  it('serves the minimal OpenAPI kubectl needs', async () => {
    const idx = JSON.parse((await raw('GET', '/openapi/v3')).body);
    const url = idx.paths[`apis/${G}/v1alpha2`].serverRelativeURL;
    const doc = JSON.parse((await raw('GET', url)).body);
    const op = doc.paths[`/apis/${G}/v1alpha2/namespaces/{namespace}/inclusterippools/{name}`].patch;
    assert.ok(op.parameters.some((p: any) => p.name === 'fieldValidation'));
    const v2 = await raw('GET', '/openapi/v2');
    assert.equal(v2.status, 200);
    assert.equal(v2.headers['content-type'], 'application/octet-stream');
    assert.equal(v2.body, '');
  });
});

describe('CRUD', () => {
  it('creates, reads, lists with selectors, replaces, patches and deletes ConfigMaps', async () => {
    const ns = await namespace();
    const created = await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'a', labels: { app: 'x', tier: 'web' } }, data: { k: 'v' } },
    });
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.resourceVersion);
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'b', labels: { app: 'y' } } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'c' } } });
    const names = async (q: { labelSelector?: string; fieldSelector?: string }) =>
      (await core.listNamespacedConfigMap({ namespace: ns, ...q })).items.map((i) => i.metadata?.name);
    assert.deepEqual(await names({ labelSelector: 'app=x' }), ['a']);
    assert.deepEqual(await names({ labelSelector: 'app!=x' }), ['b', 'c']);
    assert.deepEqual(await names({ labelSelector: 'app in (x,y)' }), ['a', 'b']);
    assert.deepEqual(await names({ labelSelector: 'app notin (x)' }), ['b', 'c']);
    assert.deepEqual(await names({ labelSelector: 'app' }), ['a', 'b']);
    assert.deepEqual(await names({ labelSelector: '!app' }), ['c']);
    assert.deepEqual(await names({ labelSelector: 'app=x,tier=web' }), ['a']);
    assert.deepEqual(await names({ fieldSelector: 'metadata.name=b' }), ['b']);
    assert.deepEqual(await names({ fieldSelector: `metadata.namespace=${ns},metadata.name!=b` }), ['a', 'c']);
    const bad = await rejects(core.listNamespacedConfigMap({ namespace: ns, fieldSelector: 'spec.x=1' }));
    assert.equal(bad.code, 400);
    assert.equal(bad.message, 'field label not supported: spec.x');

    const dup = await rejects(core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'a' } } }));
    assert.deepEqual([dup.code, dup.reason, dup.message], [409, 'AlreadyExists', 'configmaps "a" already exists']);

    const replaced = await core.replaceNamespacedConfigMap({ name: 'a', namespace: ns, body: { ...created, data: { k: 'v2' } } });
    assert.equal(replaced.data?.k, 'v2');
    const stale = await rejects(core.replaceNamespacedConfigMap({ name: 'a', namespace: ns, body: { ...created, data: { k: 'v3' } } }));
    assert.equal(stale.code, 409);
    assert.equal(stale.reason, 'Conflict');
    assert.match(stale.message!, /^Operation cannot be fulfilled on configmaps "a": the object has been modified/);

    const patched = await core.patchNamespacedConfigMap({ name: 'a', namespace: ns, body: { data: { extra: '1' } } }, merge);
    assert.deepEqual(patched.data, { k: 'v2', extra: '1' });
    const jp = await core.patchNamespacedConfigMap({ name: 'a', namespace: ns, body: [{ op: 'remove', path: '/data/extra' }] });
    assert.deepEqual(jp.data, { k: 'v2' });
    const smp = await core.patchNamespacedConfigMap(
      { name: 'a', namespace: ns, body: { data: { s: 'm' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    assert.equal(smp.data?.s, 'm');

    await core.deleteNamespacedConfigMap({ name: 'a', namespace: ns });
    const gone = await rejects(core.readNamespacedConfigMap({ name: 'a', namespace: ns }));
    assert.deepEqual([gone.code, gone.reason, gone.message], [404, 'NotFound', 'configmaps "a" not found']);
  });

  it('generateName, missing namespaces, invalid names', async () => {
    const ns = await namespace();
    const g = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { generateName: 'gen-' } } });
    assert.match(g.metadata!.name!, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const missing = await rejects(core.createNamespacedConfigMap({ namespace: 'nope', body: { metadata: { name: 'x' } } }));
    assert.deepEqual([missing.code, missing.message], [404, 'namespaces "nope" not found']);
    const badName = await rejects(core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'Bad_Name' } } }));
    assert.equal(badName.code, 422);
    assert.match(badName.message!, /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });

  it('finalizers hold a deleted object until the last one is removed', async () => {
    const ns = await namespace();
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'f', finalizers: ['example.com/hold'] } } });
    await core.deleteNamespacedConfigMap({ name: 'f', namespace: ns });
    const held = await core.readNamespacedConfigMap({ name: 'f', namespace: ns });
    assert.ok(held.metadata?.deletionTimestamp);
    const noNew = await rejects(
      core.patchNamespacedConfigMap({ name: 'f', namespace: ns, body: { metadata: { finalizers: ['example.com/hold', 'x.io/more'] } } }, merge),
    );
    assert.equal(noNew.code, 422);
    await core.patchNamespacedConfigMap({ name: 'f', namespace: ns, body: { metadata: { finalizers: null } } }, merge);
    assert.equal((await rejects(core.readNamespacedConfigMap({ name: 'f', namespace: ns }))).code, 404);
  });

  it('custom resources: strategic merge is 415, PUT needs a resourceVersion, status is a subresource', async () => {
    const ns = await namespace();
    await createPool(ns, 'p', { addresses: ['10.1.0.10-10.1.0.20'], prefix: 24 });
    const smp = await rejects(
      crd.patchNamespacedCustomObject(
        { group: G, version: 'v1alpha2', namespace: ns, plural: 'inclusterippools', name: 'p', body: { spec: { prefix: 24 } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      ),
    );
    assert.deepEqual([smp.code, smp.reason], [415, 'UnsupportedMediaType']);
    const cur = await crd.getNamespacedCustomObject({ group: G, version: 'v1alpha2', namespace: ns, plural: 'inclusterippools', name: 'p' });
    const noRv = await rejects(
      crd.replaceNamespacedCustomObject({
        group: G,
        version: 'v1alpha2',
        namespace: ns,
        plural: 'inclusterippools',
        name: 'p',
        body: { ...cur, metadata: { ...cur.metadata, resourceVersion: undefined } },
      }),
    );
    assert.equal(noRv.code, 422);
    assert.match(noRv.message!, /metadata.resourceVersion: Invalid value: 0x0: must be specified for an update/);
    // .status on the main resource is ignored
    await sb.waitFor(() => sb.get(G, 'InClusterIPPool', ns, 'p')?.status?.ipAddresses);
    const fresh = await crd.getNamespacedCustomObject({ group: G, version: 'v1alpha2', namespace: ns, plural: 'inclusterippools', name: 'p' });
    const put = await crd.replaceNamespacedCustomObject({
      group: G,
      version: 'v1alpha2',
      namespace: ns,
      plural: 'inclusterippools',
      name: 'p',
      body: { ...fresh, status: { ipAddresses: { total: 1, used: 0, free: 1, outOfRange: 0 } } },
    });
    assert.equal(put.status.ipAddresses.total, 11);
  });

  it('server-side apply creates or merges; deletecollection; namespace deletion cascades', async () => {
    const ns = await namespace();
    const ssa = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: ns, labels: { del: 'y' } }, data: { a: '1' } };
    await core.patchNamespacedConfigMap({ name: 'ssa', namespace: ns, body, fieldManager: 'test' }, ssa);
    const merged = await core.patchNamespacedConfigMap({ name: 'ssa', namespace: ns, body: { ...body, data: { b: '2' } }, fieldManager: 'test' }, ssa);
    assert.deepEqual(merged.data, { a: '1', b: '2' });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'keep' } } });
    await core.deleteCollectionNamespacedConfigMap({ namespace: ns, labelSelector: 'del=y' });
    assert.deepEqual(
      (await core.listNamespacedConfigMap({ namespace: ns })).items.map((i) => i.metadata?.name),
      ['keep'],
    );
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'held', finalizers: ['example.com/x'] } } });
    await core.deleteNamespace({ name: ns });
    const terminating = await core.readNamespace({ name: ns });
    assert.equal(terminating.status?.phase, 'Terminating');
    const refused = await rejects(core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'new' } } }));
    assert.equal(refused.code, 403);
    assert.match(refused.message!, /because it is being terminated/);
    await core.patchNamespacedConfigMap({ name: 'held', namespace: ns, body: { metadata: { finalizers: null } } }, merge);
    await sb.waitFor(() => !sb.get('v1', 'Namespace', undefined, ns), 2000);
    assert.equal((await rejects(core.deleteNamespace({ name: 'default' }))).code, 403);
  });

  it('reads IPAM objects at v1beta1 with the apiGroup/prefix conversion', async () => {
    const ns = await namespace();
    sb.create({
      apiVersion: `${G}/v1beta1`,
      kind: 'IPAddress',
      metadata: { name: 'hand', namespace: ns },
      spec: { address: '10.2.0.5', prefix: 24, claimRef: { name: 'hand' }, poolRef: { kind: 'InClusterIPPool', name: 'x' } },
    });
    const v2 = await crd.getNamespacedCustomObject({ group: G, version: 'v1beta2', namespace: ns, plural: 'ipaddresses', name: 'hand' });
    assert.equal(v2.apiVersion, `${G}/v1beta2`);
    assert.equal(v2.spec.poolRef.apiGroup, '');
    const v1 = await crd.getNamespacedCustomObject({ group: G, version: 'v1beta1', namespace: ns, plural: 'ipaddresses', name: 'hand' });
    assert.equal(v1.apiVersion, `${G}/v1beta1`);
    assert.equal('apiGroup' in v1.spec.poolRef, false);
  });

  it('answers Tables with the printer columns when asked', async () => {
    const ns = await namespace();
    await createPool(ns, 'tp', { addresses: ['10.3.0.10-10.3.0.20'], prefix: 24, gateway: '10.3.0.1' });
    await sb.waitFor(() => sb.get(G, 'InClusterIPPool', ns, 'tp')?.status?.ipAddresses);
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
    const t = JSON.parse((await raw('GET', `/apis/${G}/v1alpha2/namespaces/${ns}/inclusterippools`, { headers: { Accept: accept } })).body);
    assert.equal(t.kind, 'Table');
    assert.deepEqual(
      t.columnDefinitions.map((c: any) => c.name),
      ['Name', 'Addresses', 'Total', 'Free', 'Used'],
    );
    assert.deepEqual(t.rows[0].cells, ['tp', '["10.3.0.10-10.3.0.20"]', 11, 11, 0]);
    assert.equal(t.rows[0].object.metadata.namespace, ns);
    const cms = JSON.parse((await raw('GET', `/api/v1/namespaces/${ns}/configmaps`, { headers: { Accept: accept } })).body);
    assert.deepEqual(
      cms.columnDefinitions.map((c: any) => c.name),
      ['Name', 'Age'],
    );
  });
});

describe('watch', () => {
  it('streams ADDED/MODIFIED/DELETED, honours selectors and replays from a resourceVersion', async () => {
    const ns = await namespace();
    const events: string[] = [];
    const w = new k8s.Watch(kc);
    const ctrl = await w.watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      { labelSelector: 'w=1' },
      (type, obj) => events.push(`${type} ${obj.metadata.name}`),
      () => {},
    );
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'w1', labels: { w: '1' } } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'other' } } });
    await core.patchNamespacedConfigMap({ name: 'w1', namespace: ns, body: { data: { a: 'b' } } }, merge);
    await core.patchNamespacedConfigMap({ name: 'other', namespace: ns, body: { metadata: { labels: { w: '1' } } } }, merge);
    await core.patchNamespacedConfigMap({ name: 'w1', namespace: ns, body: { metadata: { labels: { w: null } } } }, merge);
    await core.deleteNamespacedConfigMap({ name: 'other', namespace: ns });
    await sb.waitFor(() => events.length >= 5, 3000);
    ctrl.abort();
    assert.deepEqual(events, ['ADDED w1', 'MODIFIED w1', 'ADDED other', 'DELETED w1', 'DELETED other']);

    const list = await core.listNamespacedConfigMap({ namespace: ns });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'later' } } });
    const replay: string[] = [];
    const ctrl2 = await w.watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      { resourceVersion: list.metadata!.resourceVersion },
      (type, obj) => replay.push(`${type} ${obj.metadata.name}`),
      () => {},
    );
    await sb.waitFor(() => replay.length >= 1, 2000);
    ctrl2.abort();
    assert.deepEqual(replay, ['ADDED later']);
  });

  it('sends ERROR 410 Expired for a compacted resourceVersion, and the informer re-lists', async () => {
    const ns = await namespace();
    const list = await core.listNamespacedConfigMap({ namespace: ns });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'x' } } });
    sb.compactHistory();
    const got: { type: string; obj: any }[] = [];
    let doneErr: unknown = 'pending';
    await new k8s.Watch(kc).watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      { resourceVersion: list.metadata!.resourceVersion },
      (type, obj) => got.push({ type, obj }),
      (err) => (doneErr = err),
    );
    await sb.waitFor(() => doneErr !== 'pending', 2000);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.type, 'ERROR');
    assert.equal(got[0]!.obj.code, 410);
    assert.equal(got[0]!.obj.reason, 'Expired');
    assert.match(got[0]!.obj.message, /^too old resource version: \d+ \(\d+\)$/);

    // informer: list, watch; history compacted + watch dropped → reconnect with the old RV → 410 → re-list
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const inf = k8s.makeInformer(kc, path, () => core.listNamespacedConfigMap({ namespace: ns }));
    const seen = new Set<string>();
    inf.on('add', (o) => seen.add(o.metadata!.name!));
    await inf.start();
    await sb.waitFor(() => seen.has('x'), 2000);
    const listsBefore = sb.requests.filter((r) => r.path === path && !r.watch).length;
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'y' } } });
    await sb.waitFor(() => seen.has('y'), 2000);
    sb.compactHistory();
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'z' } } });
    sb.faults.dropWatches();
    await sb.waitFor(() => seen.has('z'), 3000);
    await sb.waitFor(() => sb.requests.filter((r) => r.path === path && !r.watch).length > listsBefore, 3000);
    await inf.stop();
  });

  it('sends heartbeats and bookmarks when asked, and ends at timeoutSeconds', async () => {
    const r = await raw('GET', '/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&timeoutSeconds=1');
    assert.equal(r.status, 200);
    const lines = r.body.split('\n').filter((l) => l.trim());
    assert.ok(lines.some((l) => JSON.parse(l).type === 'BOOKMARK'));
  });
});

describe('provider conformance (CAIP controllers)', () => {
  it('C1: IPAddress named like the claim with address, prefix, gateway, finalizer, owner refs and cluster label', async () => {
    const ns = await namespace();
    await crd.createNamespacedCustomObject({
      group: 'cluster.x-k8s.io',
      version: 'v1beta2',
      namespace: ns,
      plural: 'clusters',
      body: { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'test-cluster' }, spec: {} },
    });
    await createPool(ns, 'pool', { addresses: ['10.0.0.1-10.0.0.254'], prefix: 24, gateway: '10.0.0.2' });
    await createClaim(ns, 'test', 'pool', 'InClusterIPPool', { labels: { 'cluster.x-k8s.io/cluster-name': 'test-cluster' } });
    await allocated(ns, 'test');
    const addr = await getAddress(ns, 'test');
    const claim = await crd.getNamespacedCustomObject({ group: G, version: 'v1beta2', namespace: ns, plural: 'ipaddressclaims', name: 'test' });
    const p = await crd.getNamespacedCustomObject({ group: G, version: 'v1alpha2', namespace: ns, plural: 'inclusterippools', name: 'pool' });
    assert.deepEqual(addr.spec, {
      claimRef: { name: 'test' },
      poolRef: { apiGroup: G, kind: 'InClusterIPPool', name: 'pool' },
      address: '10.0.0.1',
      prefix: 24,
      gateway: '10.0.0.2',
    });
    assert.deepEqual(addr.metadata.finalizers, ['ipam.cluster.x-k8s.io/ProtectAddress']);
    assert.deepEqual(addr.metadata.ownerReferences, [
      { apiVersion: `${G}/v1beta2`, kind: 'IPAddressClaim', name: 'test', uid: claim.metadata.uid, controller: true, blockOwnerDeletion: true },
      { apiVersion: `${G}/v1alpha2`, kind: 'InClusterIPPool', name: 'pool', uid: p.metadata.uid, controller: false, blockOwnerDeletion: true },
    ]);
    assert.deepEqual(addr.metadata.labels, { 'cluster.x-k8s.io/cluster-name': 'test-cluster' });
    assert.deepEqual(claim.metadata.finalizers, ['ipam.cluster.x-k8s.io/ReleaseAddress']);
    assert.deepEqual(claim.status, { addressRef: { name: 'test' } });
    assert.deepEqual(p.metadata.finalizers, ['ipam.cluster.x-k8s.io/ProtectPool']);
  });

  it('C2: a claim of an unknown pool kind gets no finalizer and no address', async () => {
    const ns = await namespace();
    await createPool(ns, 'pool', { addresses: ['10.0.0.1-10.0.0.254'], prefix: 24 });
    await createClaim(ns, 'test', 'pool', 'UnknownIPPool');
    await reconciled(`claim|${ns}|test`, 'ignored: not a CAIP pool');
    assert.equal(sb.get(G, 'IPAddress', ns, 'test'), undefined);
    assert.equal(sb.get(G, 'IPAddressClaim', ns, 'test')!.metadata.finalizers, undefined);
  });

  it('C4: reserved and gateway addresses are skipped; the second claim stays pending', async () => {
    const ns = await namespace();
    await createPool(ns, 'pool', { addresses: ['10.0.1.0', '10.0.1.1', '10.0.1.2', '10.0.1.255'], prefix: 24, gateway: '10.0.1.1' });
    await createClaim(ns, 'a', 'pool');
    assert.equal((await allocated(ns, 'a')).spec.address, '10.0.1.2');
    await createClaim(ns, 'b', 'pool');
    await reconciled(`claim|${ns}|b`, 'retry: failed to create or patch address: failed to find free address');
    assert.equal(sb.get(G, 'IPAddress', ns, 'b'), undefined);
    assert.equal(sb.get(G, 'IPAddressClaim', ns, 'b')!.status, undefined);
    assert.deepEqual(sb.get(G, 'IPAddressClaim', ns, 'b')!.metadata.finalizers, ['ipam.cluster.x-k8s.io/ReleaseAddress']);
  });

  it('C5: excluded addresses are skipped', async () => {
    const ns = await namespace();
    await createPool(ns, 'pool', { addresses: ['10.1.1.0/24'], prefix: 24, gateway: '10.1.1.1', excludedAddresses: ['10.1.1.2-10.1.1.5', '10.1.1.7'] });
    const got: string[] = [];
    for (const c of ['c1', 'c2', 'c3']) {
      await createClaim(ns, c, 'pool');
      got.push((await allocated(ns, c)).spec.address);
    }
    assert.deepEqual(got, ['10.1.1.6', '10.1.1.8', '10.1.1.9']);
  });

  it('C6/C7: the lowest address whatever the order; no gateway key without a gateway', async () => {
    const ns = await namespace();
    await createPool(ns, 'p6', { addresses: ['10.0.1.3', '10.0.1.2'], prefix: 24, gateway: '10.0.1.1' });
    await createClaim(ns, 'c6', 'p6');
    assert.equal((await allocated(ns, 'c6')).spec.address, '10.0.1.2');
    await createPool(ns, 'p7', { addresses: ['10.0.0.1-10.0.0.254'], prefix: 24 });
    await createClaim(ns, 'c7', 'p7');
    const a7 = await allocated(ns, 'c7');
    assert.equal(a7.spec.address, '10.0.0.1');
    assert.equal('gateway' in a7.spec, false);
  });

  it('C8/C16: a global pool allocates across namespaces; IPAddresses live in the claim namespace', async () => {
    const a = await namespace();
    const b = await namespace();
    const name = `g-${a}`;
    await createPool(undefined, name, { addresses: ['10.0.0.2-10.0.0.254'], prefix: 24, gateway: '10.0.0.1' });
    await createClaim(a, 'test', name, 'GlobalInClusterIPPool');
    assert.equal((await allocated(a, 'test')).spec.address, '10.0.0.2');
    await createClaim(b, 'test', name, 'GlobalInClusterIPPool');
    const second = await allocated(b, 'test');
    assert.equal(second.spec.address, '10.0.0.3');
    assert.equal(second.metadata.namespace, b);
    const st = await sb.waitFor(() => {
      const s = sb.get(G, 'GlobalInClusterIPPool', undefined, name)?.status?.ipAddresses;
      return s?.used === 2 ? s : undefined;
    });
    assert.deepEqual(st, { total: 253, used: 2, free: 251, outOfRange: 0 });
  });

  it('C14: a pending claim gets the address once the holder is deleted (namespaced and global)', async () => {
    for (const global of [false, true]) {
      const ns = await namespace();
      const name = global ? `g14-${ns}` : 'pool';
      const kind = global ? 'GlobalInClusterIPPool' : 'InClusterIPPool';
      await createPool(global ? undefined : ns, name, { addresses: ['10.0.0.1'], prefix: 24, gateway: '10.0.0.2' });
      await createClaim(ns, 'first', name, kind);
      const first = await allocated(ns, 'first');
      await createClaim(ns, 'second', name, kind);
      await reconciled(`claim|${ns}|second`, 'retry: failed to create or patch address: failed to find free address');
      assert.equal(sb.get(G, 'IPAddress', ns, 'second'), undefined);
      await deleteClaim(ns, 'first');
      const second = await allocated(ns, 'second');
      assert.equal(second.spec.address, '10.0.0.1');
      assert.deepEqual(second.spec, { ...first.spec, claimRef: { name: 'second' } });
      assert.deepEqual(second.metadata.finalizers, first.metadata.finalizers);
      await sb.waitFor(() => !sb.get(G, 'IPAddressClaim', ns, 'first') && !sb.get(G, 'IPAddress', ns, 'first'));
    }
  });

  it('C12/C17/C18: paused pools, paused or missing Clusters hold allocation until resolved', async () => {
    const ns = await namespace();
    await createPool(ns, 'pp', { addresses: ['10.5.0.10-10.5.0.20'], prefix: 24 }, { 'cluster.x-k8s.io/paused': '' });
    await createClaim(ns, 'c12', 'pp');
    await createPool(ns, 'p', { addresses: ['10.6.0.10-10.6.0.20'], prefix: 24 });
    await createClaim(ns, 'c18', 'p', 'InClusterIPPool', { clusterName: 'later' });
    await crd.createNamespacedCustomObject({
      group: 'cluster.x-k8s.io',
      version: 'v1beta2',
      namespace: ns,
      plural: 'clusters',
      body: { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'paused' }, spec: { paused: true } },
    });
    await createClaim(ns, 'c17', 'p', 'InClusterIPPool', { labels: { 'cluster.x-k8s.io/cluster-name': 'paused' } });
    await reconciled(`claim|${ns}|c12`, 'waiting: pool paused');
    await reconciled(`claim|${ns}|c17`, 'waiting: cluster paused');
    await reconciled(`claim|${ns}|c18`, 'waiting: cluster not found');
    for (const c of ['c12', 'c17', 'c18']) assert.equal(sb.get(G, 'IPAddress', ns, c), undefined, c);
    await crd.patchNamespacedCustomObject(
      {
        group: G,
        version: 'v1alpha2',
        namespace: ns,
        plural: 'inclusterippools',
        name: 'pp',
        body: { metadata: { annotations: { 'cluster.x-k8s.io/paused': null } } },
      },
      merge,
    );
    assert.equal((await allocated(ns, 'c12')).spec.address, '10.5.0.10');
    await crd.patchNamespacedCustomObject(
      { group: 'cluster.x-k8s.io', version: 'v1beta2', namespace: ns, plural: 'clusters', name: 'paused', body: { spec: { paused: false } } },
      merge,
    );
    assert.equal((await allocated(ns, 'c17')).spec.address, '10.6.0.10');
    await crd.createNamespacedCustomObject({
      group: 'cluster.x-k8s.io',
      version: 'v1beta2',
      namespace: ns,
      plural: 'clusters',
      body: { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'later' }, spec: {} },
    });
    assert.equal((await allocated(ns, 'c18')).spec.address, '10.6.0.11');
  });

  it('C15: a hand-made IPAddress named like the claim is adopted with its spec unchanged', async () => {
    const ns = await namespace();
    await createPool(ns, 'pool', { addresses: ['10.0.0.1-10.0.0.254'], prefix: 24 });
    sb.create({
      apiVersion: `${G}/v1beta2`,
      kind: 'IPAddress',
      metadata: { name: 'test', namespace: ns, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'other', uid: 'u-1' }] },
      spec: { address: '10.0.0.77', prefix: 24, claimRef: { name: 'test' }, poolRef: { apiGroup: G, kind: 'InClusterIPPool', name: 'pool' } },
    });
    await createClaim(ns, 'test', 'pool');
    const addr = await allocated(ns, 'test');
    assert.equal(addr.spec.address, '10.0.0.77');
    assert.deepEqual(
      addr.metadata.ownerReferences.map((r: any) => r.kind),
      ['ConfigMap', 'IPAddressClaim', 'InClusterIPPool'],
    );
    assert.deepEqual(addr.metadata.finalizers, ['ipam.cluster.x-k8s.io/ProtectAddress']);
  });

  it('concurrent claims always get distinct addresses', async () => {
    const ns = await namespace();
    await createPool(ns, 'pool', { addresses: ['10.7.0.1-10.7.0.30'], prefix: 24 });
    const names = Array.from({ length: 12 }, (_, i) => `c${i}`);
    await Promise.all(names.map((n) => createClaim(ns, n, 'pool')));
    const addrs = await Promise.all(names.map((n) => allocated(ns, n, 5000)));
    const ips = addrs.map((a) => a.spec.address);
    assert.equal(new Set(ips).size, names.length);
  });

  it('claim spec is immutable', async () => {
    const ns = await namespace();
    await createPool(ns, 'pool', { addresses: ['10.8.0.1-10.8.0.30'], prefix: 24 });
    await createClaim(ns, 'c', 'pool');
    await allocated(ns, 'c');
    const r = await rejects(
      crd.patchNamespacedCustomObject(
        { group: G, version: 'v1beta2', namespace: ns, plural: 'ipaddressclaims', name: 'c', body: { spec: { poolRef: { name: 'other' } } } },
        merge,
      ),
    );
    assert.equal(r.code, 422);
    assert.match(
      r.message!,
      /^admission webhook "validation\.ipaddressclaim\.ipam\.cluster\.x-k8s\.io" denied the request: IPAddressClaim\.ipam\.cluster\.x-k8s\.io "c" is invalid: spec: Forbidden: IPAddressClaim spec is immutable\. Diff: /,
    );
  });
});

describe('pool status (CAIP controllers)', () => {
  const cases = [
    { id: 'S1', addresses: ['10.0.0.10-10.0.0.20'], gateway: undefined, claims: 1, total: 11, used: 1, free: 10 },
    { id: 'S2', addresses: ['10.0.0.10-10.0.0.20'], gateway: undefined, claims: 2, total: 11, used: 2, free: 9 },
    { id: 'S3', addresses: ['10.0.0.10-10.0.0.20'], gateway: '10.0.0.10', claims: 1, total: 10, used: 1, free: 9 },
    { id: 'S4', addresses: ['10.0.0.10-10.0.0.20'], gateway: '10.0.0.10', claims: 2, total: 10, used: 2, free: 8 },
    { id: 'S5', addresses: ['10.0.0.10-10.0.0.20'], gateway: '10.0.0.1', claims: 1, total: 11, used: 1, free: 10 },
    { id: 'S6', addresses: ['10.0.0.0-10.0.0.1'], gateway: '10.0.0.2', claims: 1, total: 1, used: 1, free: 0 },
    { id: 'S7', addresses: ['10.0.0.254-10.0.0.255'], gateway: '10.0.0.1', claims: 1, total: 1, used: 1, free: 0 },
    { id: 'S8', addresses: ['fe80::ffff'], gateway: 'fe80::a', claims: 1, total: 1, used: 1, free: 0, prefix: 120 },
  ];
  for (const c of cases) {
    it(`${c.id}: total ${c.total}, used ${c.used}, free ${c.free}`, async () => {
      const ns = await namespace();
      await createPool(ns, 'pool', { addresses: c.addresses, prefix: c.prefix ?? 24, ...(c.gateway ? { gateway: c.gateway } : {}) });
      const before = await sb.waitFor(() => sb.get(G, 'InClusterIPPool', ns, 'pool')?.status?.ipAddresses);
      assert.deepEqual(before, { total: c.total, used: 0, free: c.total, outOfRange: 0 });
      for (let i = 0; i < c.claims; i++) {
        await createClaim(ns, `c${i}`, 'pool');
        await allocated(ns, `c${i}`);
      }
      const st = await sb.waitFor(() => {
        const s = sb.get(G, 'InClusterIPPool', ns, 'pool')?.status?.ipAddresses;
        return s?.used === c.used ? s : undefined;
      });
      assert.deepEqual(st, { total: c.total, used: c.used, free: c.free, outOfRange: 0 });
    });
  }

  it('huge IPv6 pools report 2^63-1 on the wire', async () => {
    const ns = await namespace();
    await createPool(ns, 'v6', { addresses: ['fd00::/64'], prefix: 64, gateway: 'fd00::1' });
    await sb.waitFor(() => sb.get(G, 'InClusterIPPool', ns, 'v6')?.status?.ipAddresses);
    const r = await raw('GET', `/apis/${G}/v1alpha2/namespaces/${ns}/inclusterippools/v6`);
    assert.match(r.body, /"total":9223372036854775807/);
    await createClaim(ns, 'c', 'v6');
    assert.equal((await allocated(ns, 'c')).spec.address, 'fd00::2');
  });

  it('the ProtectPool finalizer holds a deleted pool until its addresses are gone (skip annotation)', async () => {
    const ns = await namespace();
    await createPool(ns, 'pool', { addresses: ['10.0.0.10-10.0.0.20'], prefix: 24 }, { 'ipam.cluster.x-k8s.io/skip-validate-delete-webhook': '' });
    await createClaim(ns, 'c', 'pool');
    await allocated(ns, 'c');
    await crd.deleteNamespacedCustomObject({ group: G, version: 'v1alpha2', namespace: ns, plural: 'inclusterippools', name: 'pool' });
    await reconciled(`pool|InClusterIPPool|${ns}|pool`, 'pool deleting');
    const held = sb.get(G, 'InClusterIPPool', ns, 'pool');
    assert.ok(held?.metadata.deletionTimestamp);
    await deleteClaim(ns, 'c');
    await sb.waitFor(() => !sb.get(G, 'InClusterIPPool', ns, 'pool'), 3000);
  });
});

describe('pool webhook (CAIP webhooks)', () => {
  const W = 'admission webhook "validation.inclusterippool.ipam.cluster.x-k8s.io" denied the request: ';
  const rejectedCases: [string, Record<string, unknown>, string][] = [
    ['empty addresses', { addresses: [], prefix: 24, gateway: '10.0.0.1' }, 'addresses is required'],
    [
      'bad gateway',
      { addresses: ['10.0.0.25', '10.0.0.26', '10.0.0.27'], prefix: 24, gateway: 'invalid' },
      'spec.gateway: Invalid value: "invalid": ParseAddr("invalid"): unable to parse IP',
    ],
    [
      'different subnet',
      { addresses: ['10.0.0.25', '10.0.0.26', '10.0.1.27'], prefix: 24, gateway: '10.0.0.1' },
      'spec.addresses: Invalid value: "10.0.1.27": provided address belongs to a different subnet than others',
    ],
    [
      'garbage',
      { addresses: ['10.0.0.25', '10.0.0.26', 'garbage'], prefix: 24, gateway: '10.0.0.1' },
      'spec.addresses: Invalid value: "garbage": provided address is not a valid IP, range, nor CIDR',
    ],
    [
      'mixed gateway',
      { addresses: ['10.0.1.0', '10.0.0.2-10.0.0.250'], prefix: 24, gateway: 'fd00::1' },
      'provided gateway and addresses are of mixed IP families',
    ],
    [
      'mixed excluded',
      { addresses: ['10.0.0.25'], prefix: 24, gateway: '10.0.0.1', excludedAddresses: ['fd00::1'] },
      'addresses and excluded addresses are of mixed IP families',
    ],
  ];
  for (const [label, spec, expected] of rejectedCases) {
    it(`rejects: ${label}`, async () => {
      const ns = await namespace();
      const r = await rejects(createPool(ns, 'bad', spec));
      assert.equal(r.code, 422);
      assert.equal(r.reason, 'Invalid');
      assert.ok(r.message!.startsWith(`${W}InClusterIPPool.ipam.cluster.x-k8s.io "bad" is invalid: `), r.message);
      assert.ok(r.message!.includes(expected), r.message);
    });
  }

  it('the CRD schema rejects prefix > 128 and a missing prefix', async () => {
    const ns = await namespace();
    const big = await rejects(createPool(ns, 'p', { addresses: ['10.0.0.25'], prefix: 9999 }));
    assert.equal(big.code, 422);
    assert.match(big.message!, /spec\.prefix: Invalid value: 9999: spec\.prefix in body should be less than or equal to 128/);
    const none = await rejects(createPool(ns, 'p', { addresses: ['10.0.0.25'] }));
    assert.equal(none.message, 'InClusterIPPool.ipam.cluster.x-k8s.io "p" is invalid: spec.prefix: Required value');
  });

  it('global pools use their own webhook name', async () => {
    const r = await rejects(createPool(undefined, 'gbad', { addresses: [], prefix: 24 }));
    assert.ok(
      r.message!.startsWith(
        'admission webhook "validation.globalinclusterippool.ipam.cluster.x-k8s.io" denied the request: GlobalInClusterIPPool.ipam.cluster.x-k8s.io "gbad" is invalid: ',
      ),
      r.message,
    );
  });

  it('rejects updates that orphan allocated addresses, and deletes while addresses exist', async () => {
    const ns = await namespace();
    await createPool(ns, 'pool', { addresses: ['10.0.0.10-10.0.0.20'], prefix: 24, gateway: '10.0.0.1' });
    await createClaim(ns, 'c', 'pool');
    assert.equal((await allocated(ns, 'c')).spec.address, '10.0.0.10');
    const upd = await rejects(
      crd.patchNamespacedCustomObject(
        { group: G, version: 'v1alpha2', namespace: ns, plural: 'inclusterippools', name: 'pool', body: { spec: { addresses: ['10.0.0.15-10.0.0.20'] } } },
        merge,
      ),
    );
    assert.deepEqual([upd.code, upd.reason, upd.message], [400, 'BadRequest', `${W}pool addresses do not contain allocated addresses: [10.0.0.10-10.0.0.10]`]);
    const del = await rejects(crd.deleteNamespacedCustomObject({ group: G, version: 'v1alpha2', namespace: ns, plural: 'inclusterippools', name: 'pool' }));
    assert.deepEqual([del.code, del.message], [400, `${W}Pool has IPAddresses allocated. Cannot delete Pool until all IPAddresses have been removed.`]);
    await deleteClaim(ns, 'c');
    await sb.waitFor(() => !sb.get(G, 'IPAddress', ns, 'c'));
    await crd.deleteNamespacedCustomObject({ group: G, version: 'v1alpha2', namespace: ns, plural: 'inclusterippools', name: 'pool' });
    await sb.waitFor(() => !sb.get(G, 'InClusterIPPool', ns, 'pool'));
  });

  it('strict field validation rejects the excludeAddresses typo; without it the field is pruned', async () => {
    const ns = await namespace();
    const body = pool('typo', { addresses: ['10.0.0.10'], prefix: 24, excludeAddresses: ['10.0.0.10'] });
    const strict = await rejects(
      crd.createNamespacedCustomObject({ group: G, version: 'v1alpha2', namespace: ns, plural: 'inclusterippools', body, fieldValidation: 'Strict' }),
    );
    assert.equal(strict.code, 400);
    assert.match(strict.message!, /strict decoding error: unknown field "spec\.excludeAddresses"/);
    const pruned = await crd.createNamespacedCustomObject({
      group: G,
      version: 'v1alpha2',
      namespace: ns,
      plural: 'inclusterippools',
      body,
      fieldValidation: 'Ignore',
    });
    assert.equal('excludeAddresses' in pruned.spec, false);
  });
});

describe('faults', () => {
  it('failNext answers a Status with the given code, then recovers', async () => {
    sb.faults.failNext(2, 503);
    assert.equal((await rejects(core.listNamespace())).code, 503);
    assert.equal((await rejects(core.listNamespace())).code, 503);
    assert.ok((await core.listNamespace()).items.length > 0);
  });

  it('refuseToken gives 401 for everything; clear() restores', async () => {
    sb.faults.refuseToken();
    const e = await core.listNamespace().catch((x: unknown) => x);
    assert.ok(e instanceof k8s.ApiException);
    assert.equal(e.code, 401);
    assert.equal((await raw('GET', '/version')).status, 401);
    sb.faults.clear();
    await core.listNamespace();
  });

  it('forbid answers 403 with a proper Status for that verb and resource only', async () => {
    sb.faults.forbid('list', 'configmaps');
    const r = await rejects(core.listNamespacedConfigMap({ namespace: 'default' }));
    assert.deepEqual([r.code, r.reason], [403, 'Forbidden']);
    assert.equal(r.message, 'configmaps is forbidden: User "sandbox-admin" cannot list resource "configmaps" in API group "" in the namespace "default"');
    await core.listNamespace();
    sb.faults.clear();
    await core.listNamespacedConfigMap({ namespace: 'default' });
  });

  it('hangNext never answers', async () => {
    sb.faults.hangNext(1);
    await assert.rejects(raw('GET', '/api/v1/namespaces', { timeoutMs: 300 }), /timeout/);
    assert.equal((await raw('GET', '/api/v1/namespaces')).status, 200);
  });

  it('counts requests, and restart keeps port, CA, token and data', async () => {
    const ns = await namespace();
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'keep' } } });
    sb.resetRequests();
    await core.readNamespacedConfigMap({ name: 'keep', namespace: ns });
    assert.deepEqual(
      sb.requests.map((r) => [r.method, r.path, r.status, r.watch]),
      [['GET', `/api/v1/namespaces/${ns}/configmaps/keep`, 200, false]],
    );
    const ended: unknown[] = [];
    await new k8s.Watch(kc).watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      {},
      () => {},
      (err) => ended.push(err),
    );
    const port = sb.port;
    await sb.stop();
    await assert.rejects(core.readNamespacedConfigMap({ name: 'keep', namespace: ns }));
    await sb.restart();
    assert.equal(sb.port, port);
    assert.equal((await core.readNamespacedConfigMap({ name: 'keep', namespace: ns })).metadata?.name, 'keep');
    await sb.waitFor(() => ended.length > 0, 2000);
    // the provider works again after the restart
    await createPool(ns, 'pool', { addresses: ['10.0.0.10'], prefix: 24 });
    await createClaim(ns, 'c', 'pool');
    assert.equal((await allocated(ns, 'c')).spec.address, '10.0.0.10');
  });
});
