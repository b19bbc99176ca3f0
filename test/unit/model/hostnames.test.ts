// A DNS name as the endpoint: never compared with the IP places; resolved (cache, timeout, in
// the background) it must include the kube-vip VIP, else dns-mismatch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { HostResolver, type Resolution } from '../../../server/src/engine/hostnames';
import { systemLookup } from '../../../server/src/live/resolve';
import { hostnameCluster } from '../../support/hostnameCluster';

function analyse(text: string, table?: Record<string, Resolution>) {
  const ws = new Workspace({ resolver: table ? { get: (h) => table[h] } : null });
  ws.setFile('c.yaml', text);
  return ws.analyze().findings.map((f) => ({ code: f.code, severity: f.severity, text: text.slice(f.span.start, f.span.end), message: f.message }));
}

const LABEL = 'Cluster web .spec.controlPlaneEndpoint.host';
const VIP_LABEL = 'kube-vip env address (KubeadmControlPlane web files[0] /etc/kubernetes/manifests/kube-vip.yaml)';

test('a host name is not a vip-mismatch; unresolved, a hint says what it must resolve to', () => {
  assert.deepEqual(analyse(hostnameCluster('api.lab.local', '10.10.0.77')), [
    {
      code: 'dns-mismatch',
      severity: 'hint',
      text: 'api.lab.local',
      message: `api.lab.local (${LABEL}) is a DNS name: it must resolve to the VIP 10.10.0.77 (${VIP_LABEL}).`,
    },
  ]);
  assert.deepEqual(
    analyse(hostnameCluster('api.lab.local', '10.10.0.77'), { 'api.lab.local': { error: 'ENOTFOUND' } })[0]!.message,
    `api.lab.local (${LABEL}) is a DNS name: it must resolve to the VIP 10.10.0.77 (${VIP_LABEL}). It did not resolve here (ENOTFOUND).`,
  );
});

test('resolved: no finding when the addresses include the VIP, an error at the name when they do not', () => {
  assert.deepEqual(analyse(hostnameCluster('api.lab.local', '10.10.0.77'), { 'api.lab.local': { addresses: ['10.10.0.76', '10.10.0.77'] } }), []);
  assert.deepEqual(analyse(hostnameCluster('api.lab.local', '10.10.0.77'), { 'api.lab.local': { addresses: ['10.10.0.9', 'fd00::9'] } }), [
    {
      code: 'dns-mismatch',
      severity: 'error',
      text: 'api.lab.local',
      message: `api.lab.local (${LABEL}) resolves to 10.10.0.9, fd00::9, not to the VIP 10.10.0.77 (${VIP_LABEL}): clients would reach another machine.`,
    },
  ]);
  // A placeholder or template is no host name, and no VIP to compare: missing-vip alone (one problem, one finding).
  assert.deepEqual(
    analyse(hostnameCluster('TODO', '10.10.0.77')).map((f) => f.code),
    ['missing-vip'],
  );
  assert.deepEqual(
    analyse(hostnameCluster('${API_HOST}', '10.10.0.77')).map((f) => f.code),
    ['missing-vip'],
  );
});

test('HostResolver: a miss starts one lookup and notifies; a slow lookup times out; localhost resolves through the system resolver', async () => {
  let calls = 0;
  let notified!: () => void;
  const done = new Promise<void>((r) => (notified = r));
  const r = new HostResolver(
    async (h) => {
      calls++;
      return h === 'a.test' ? ['10.0.0.1'] : [];
    },
    () => notified(),
  );
  assert.equal(r.get('a.test'), undefined);
  assert.equal(r.get('a.test'), undefined);
  await done;
  assert.deepEqual(r.get('a.test'), { addresses: ['10.0.0.1'] });
  assert.equal(calls, 1);

  const slow = new HostResolver(() => new Promise(() => undefined), undefined, 50);
  await slow.resolveAll(['never.test']);
  assert.deepEqual(slow.get('never.test'), { error: 'no answer within 0.05 s' });

  const sys = new HostResolver(systemLookup, undefined, 10_000); // the wiring, not the timeout, is under test here
  await sys.resolveAll(['localhost']);
  const got = sys.get('localhost');
  assert.ok(got && 'addresses' in got && got.addresses.some((a) => a === '127.0.0.1' || a === '::1'), JSON.stringify(got));
});
