// One scenario through both backends: the sandbox must show what the real kube-apiserver, etcd and
// in-cluster IPAM provider show (addresses, claim status, pool counts, refusals, watch events).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { backendNames, startBackend, type Backend } from '../support/backend';
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
