// One scenario through both backends: the sandbox must show what the real kube-apiserver, etcd and
// in-cluster IPAM provider show (addresses, claim status, pool counts, refusals, watch events).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { backendNames, startBackend, type Backend } from '../support/backend';
import { ESTATE_SEED, ESTATE_WORKLOADS, runEstateScenario, type EstateObservations } from '../support/estateScenario';
import { runScenario, type Observations } from '../support/scenario';

const seen: Partial<Record<string, Observations>> = {};
const started: Backend[] = [];
after(async () => {
  for (const b of started) await b.stop();
});

for (const { name, skip } of backendNames()) {
  test(`scenario on the ${name} backend`, { skip, timeout: 300_000 }, async () => {
    const b = await startBackend(name);
    started.push(b);
    const o = await runScenario(b);
    seen[name] = o;
    assert.deepEqual(o.addresses, { c1: '10.70.0.10', c2: '10.70.0.11', c3: '10.70.0.12' });
    assert.equal(o.reusedAddress, '10.70.0.11', 'the lowest free address is handed out again');
    assert.deepEqual(o.poolStatus, { ipAddresses: { total: 5, free: 2, used: 3, outOfRange: 0 } });
    assert.deepEqual(o.grace, { heldWhileGrace: true, releasedAfterGrace: true });
    assert.equal(o.refused.invalidPool!.code, 422);
    assert.match(o.refused.invalidPool!.message, /provided address belongs to a different subnet than others/);
    assert.equal(o.refused.negativeGrace!.code, 422);
  });
}

test(
  'the sandbox and the real stack observe the same',
  { skip: backendNames().find((b) => b.name === 'real')?.skip ?? (backendNames().length < 2 && 'one backend selected') },
  () => {
    assert.ok(seen.sandbox && seen.real, 'both scenarios ran');
    assert.deepEqual(seen.sandbox, seen.real);
  },
);

// Workload clusters: the estate fixtures (test/fixtures/estate/README.md) on both backends.
const estate: Partial<Record<string, EstateObservations>> = {};
for (const { name, skip } of backendNames()) {
  test(`workload clusters on the ${name} backend`, { skip, timeout: 600_000 }, async () => {
    const b = await startBackend(name, { seed: ESTATE_SEED, workloads: ESTATE_WORKLOADS });
    started.push(b);
    const o = await runEstateScenario(b);
    estate[name] = o;
    const kv = (ip: string) => ({ loadBalancerIP: ip, annotation: ip, implementation: 'kube-vip' });
    assert.deepEqual(o.services, {
      // web takes range-global's first address, which is dev's VIP; team-a/app gets 10.10.0.43 from its
      // namespace range although legacy holds it (the provider checks only team-a's Services for that pool).
      prod: {
        'default/legacy': { loadBalancerIP: null, annotation: '10.10.0.43', implementation: 'kube-vip' },
        'default/web': kv('10.10.0.40'),
        'team-a/app': kv('10.10.0.43'),
      },
      dev: { 'default/ingress': kv('10.10.0.44') },
    });
    assert.deepEqual(o.nodes, {
      prod: { 'prod-cp-1': ['InternalIP=10.10.0.101', 'Hostname=prod-cp-1'], 'prod-md-1': ['InternalIP=10.10.0.102', 'Hostname=prod-md-1'] },
      dev: { 'dev-cp-1': ['InternalIP=10.10.0.110', 'Hostname=dev-cp-1'], 'dev-md-1': ['InternalIP=10.10.0.30', 'Hostname=dev-md-1'] },
      lab: { 'lab-cp-1': ['InternalIP=10.10.0.120', 'Hostname=lab-cp-1'] },
    });
    assert.deepEqual(o.leases, { prod: { 'plndr-cp-lock': 'prod-cp-1', 'plndr-svcs-lock': 'prod-md-1' }, dev: { 'plndr-cp-lock': 'dev-cp-1' }, lab: {} });
    assert.deepEqual(o.lab, { configMapData: null, pendingBefore: null, pendingAfter: '10.10.0.60' });
    assert.equal(o.prodExtra, '10.10.0.41', 'the lowest address of range-global no kube-vip Service holds, in any namespace');
    assert.deepEqual(o.clusters, ['default/dev', 'default/lab', 'default/prod']);
    assert.ok(o.labEndpointIsItsServer, "lab's Cluster, made for it, points at its API server");
    assert.deepEqual(o.machines['dev-md-1'], ['Hostname=dev-md-1', 'InternalIP=10.10.0.30']);
    for (const w of ['prod', 'dev', 'lab']) {
      assert.deepEqual(o.secrets[w], {
        type: 'cluster.x-k8s.io/secret',
        label: w,
        keys: ['value'],
        server: true,
        contexts: [`${w}-admin@${w}`],
        tokenWorks: 200,
      });
    }
    assert.deepEqual(o.contexts, ['management', 'prod', 'dev', 'lab']);
    assert.deepEqual(o.outage, { devDown: 'unreachable', prodDuring: 200, devAfter: 200, devDataKept: true });
    assert.deepEqual(o.forbidden, { prod: 403, reason: 'Forbidden', dev: 200, prodAfterAllow: 200 });
  });
}

test(
  'workload clusters: the sandbox and the real stack observe the same',
  { skip: backendNames().find((b) => b.name === 'real')?.skip ?? (backendNames().length < 2 && 'one backend selected') },
  () => {
    assert.ok(estate.sandbox && estate.real, 'both scenarios ran');
    assert.deepEqual(estate.sandbox, estate.real);
  },
);
