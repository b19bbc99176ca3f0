// The conformance scenario: one script of requests, run against a backend over the wire, returning
// what a client can observe (addresses, claim status, pool counts, refusals, watch events).
import type { Backend } from './backend';
import type { Rest, WatchEvent } from '../realstack/rest';

const G = 'ipam.cluster.x-k8s.io';
const NS = 'conformance';

export interface Refusal {
  code: number;
  reason: string;
  message: string;
}

export interface Observations {
  addresses: Record<string, string>;
  claimStatus: Record<string, unknown>;
  claimFinalizers: string[];
  poolStatus: unknown;
  refused: Record<string, Refusal>;
  eventsAfterDelete: Record<'IPAddress' | 'IPAddressClaim', string[]>;
  reusedAddress: string;
  grace: { heldWhileGrace: boolean; releasedAfterGrace: boolean };
  v1alpha1: { asV1alpha2: unknown; asV1alpha1: unknown };
}

const pool = (name: string, spec: Record<string, unknown>, version = 'v1alpha2') => ({
  apiVersion: `${G}/${version}`,
  kind: 'InClusterIPPool',
  metadata: { name, namespace: NS },
  spec,
});
const claim = (name: string, poolName: string) => ({
  apiVersion: `${G}/v1beta2`,
  kind: 'IPAddressClaim',
  metadata: { name, namespace: NS },
  spec: { poolRef: { apiGroup: G, kind: 'InClusterIPPool', name: poolName } },
});

async function refusal(rest: Rest, method: string, path: string, body?: unknown, type?: string): Promise<Refusal> {
  const r = await rest.request(method, path, body, type);
  return { code: r.status, reason: r.body?.reason ?? '', message: r.body?.message ?? String(r.body) };
}

async function addressOf(b: Backend, name: string): Promise<string> {
  return b.waitFor(async () => (await b.get(`${G}/v1beta2`, 'IPAddress', NS, name))?.spec?.address as string | undefined);
}

/** Runs the scenario; every wait is on an observable condition. */
export async function runScenario(b: Backend): Promise<Observations> {
  const { rest } = b;
  await b.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await b.create(pool('vips', { addresses: ['10.70.0.10-10.70.0.14'], prefix: 24, gateway: '10.70.0.1' }));
  const addresses: Record<string, string> = {};
  for (const n of ['c1', 'c2', 'c3']) {
    await b.create(claim(n, 'vips'));
    addresses[n] = await addressOf(b, n);
  }
  const c1 = await b.waitFor(async () => {
    const c = await b.get(`${G}/v1beta2`, 'IPAddressClaim', NS, 'c1');
    return c?.status?.addressRef?.name ? c : undefined;
  });
  const claimStatus = JSON.parse(JSON.stringify(c1.status, (k, v) => (k === 'lastTransitionTime' ? '<time>' : v)));
  const poolStatus = await b.waitFor(async () => {
    const p = await b.get(`${G}/v1alpha2`, 'InClusterIPPool', NS, 'vips');
    return p?.status?.ipAddresses?.used === 3 ? p.status : undefined;
  });

  const poolsPath = await rest.path(`${G}/v1alpha2`, 'InClusterIPPool', NS);
  const refused: Record<string, Refusal> = {
    invalidPool: await refusal(rest, 'POST', poolsPath, pool('bad', { addresses: ['10.0.0.25', '10.0.1.27'], prefix: 24 })),
    negativeGrace: await refusal(rest, 'POST', poolsPath, pool('neg', { addresses: ['10.0.0.25'], prefix: 24, addressReuseGracePeriodSeconds: -1 })),
    duplicateClaim: await refusal(rest, 'POST', await rest.path(`${G}/v1beta2`, 'IPAddressClaim', NS), claim('c1', 'vips')),
    deletePoolInUse: await refusal(rest, 'DELETE', `${poolsPath}/vips`),
  };

  // Watch both kinds from now on, delete c2, and wait until both objects are gone. Each watch is its own
  // stream: the order within a kind is observable, the interleaving of the two streams is not.
  const events: Record<'IPAddress' | 'IPAddressClaim', string[]> = { IPAddress: [], IPAddressClaim: [] };
  const rv = (await rest.request('GET', await rest.path(`${G}/v1beta2`, 'IPAddress', NS))).body.metadata.resourceVersion;
  const seen = (e: WatchEvent) => {
    const o = e.object;
    if (o.metadata?.name !== 'c2') return;
    events[o.kind as keyof typeof events]?.push(
      `${e.type} ${o.kind}${o.metadata.deletionTimestamp ? ' deleting' : ''} finalizers=${(o.metadata.finalizers ?? []).join(',')}`,
    );
  };
  const stops = [
    rest.watch(`${await rest.path(`${G}/v1beta2`, 'IPAddress', NS)}?resourceVersion=${rv}`, seen),
    rest.watch(`${await rest.path(`${G}/v1beta2`, 'IPAddressClaim', NS)}?resourceVersion=${rv}`, seen),
  ];
  try {
    const d = await rest.delete(`${G}/v1beta2`, 'IPAddressClaim', NS, 'c2');
    if (d.status !== 200) throw new Error(`delete c2: ${d.status}`);
    await b.waitFor(async () => events.IPAddressClaim.some((e) => e.startsWith('DELETED ')) && events.IPAddress.some((e) => e.startsWith('DELETED ')));
  } finally {
    stops.forEach((s) => s());
  }
  await b.create(claim('c4', 'vips'));
  const reusedAddress = await addressOf(b, 'c4');
  const claimFinalizers = (await b.get(`${G}/v1beta2`, 'IPAddressClaim', NS, 'c4'))?.metadata?.finalizers ?? [];

  // Grace period: the address outlives its claim's deletion for the pool's grace period.
  await b.create(pool('graceful', { addresses: ['10.71.0.10-10.71.0.11'], prefix: 24, addressReuseGracePeriodSeconds: 2 }));
  await b.create(claim('g1', 'graceful'));
  await addressOf(b, 'g1');
  await rest.delete(`${G}/v1beta2`, 'IPAddressClaim', NS, 'g1');
  const deletedAt = Date.now();
  const held = await b.get(`${G}/v1beta2`, 'IPAddress', NS, 'g1');
  const heldClaim = await b.get(`${G}/v1beta2`, 'IPAddressClaim', NS, 'g1');
  const heldWhileGrace = Date.now() - deletedAt < 1500 && !!held && !!heldClaim?.metadata?.deletionTimestamp;
  await b.waitFor(async () => !(await b.get(`${G}/v1beta2`, 'IPAddress', NS, 'g1')), 15_000);
  const releasedAfterGrace = Date.now() - deletedAt >= 1000;

  // v1alpha1: the subnet form, read back in both versions.
  const legacy = await rest.request(
    'POST',
    `/apis/${G}/v1alpha1/namespaces/${NS}/inclusterippools`,
    pool('legacy', { subnet: '10.72.0.0/24', gateway: '10.72.0.1' }, 'v1alpha1'),
  );
  const spec = async (v: string) =>
    legacy.status === 201 ? (await rest.request('GET', `/apis/${G}/${v}/namespaces/${NS}/inclusterippools/legacy`)).body?.spec : legacy.status;
  return {
    addresses,
    claimStatus,
    claimFinalizers,
    poolStatus,
    refused,
    eventsAfterDelete: events,
    reusedAddress,
    grace: { heldWhileGrace, releasedAfterGrace },
    v1alpha1: { asV1alpha2: await spec('v1alpha2'), asV1alpha1: await spec('v1alpha1') },
  };
}
