// The management cluster of the scale benchmark: Clusters in 10 namespaces, one IPAddressClaim and
// its IPAddress per address (65,000 of them in one /16 pool, the rest in a second /16), and
// LoadBalancer Services. The sandbox is seeded in-process through its create path (admission
// included), claims already holding their address as the provider leaves them; the real stack over
// HTTPS with bounded parallelism, addresses before claims so CAIP adopts them rather than allocating.
import type { Backend } from '../test/support/backend';
import { formatAddr } from '../server/src/engine/ip/addr';

export interface Scale {
  clusters: number;
  addresses: number;
  services: number;
}

const G = 'ipam.cluster.x-k8s.io';
const NAMESPACES = 10;
/** Used addresses in the first pool (the Pools tree target: a /16 with 65k used addresses). */
export const IN_BIG_POOL = 65_000;
export const POOLS = [
  { name: 'scale-a', base: (10n << 24n) + (60n << 16n) },
  { name: 'scale-b', base: (10n << 24n) + (61n << 16n) },
];

const ns = (i: number) => `fleet-${i % NAMESPACES}`;
const clusterOf = (i: number, s: Scale) => `c${i % s.clusters}`;

export function addressOf(i: number): { pool: string; address: string } {
  const p = i < IN_BIG_POOL ? POOLS[0]! : POOLS[1]!;
  const offset = i < IN_BIG_POOL ? i : i - IN_BIG_POOL;
  return { pool: p.name, address: formatAddr({ family: 4, value: p.base + 2n + BigInt(offset) }) };
}

function objects(s: Scale) {
  const clusterNs = (c: number) => ns(c);
  const nsOfAddress = (i: number) => clusterNs(i % s.clusters);
  return {
    namespaces: [...Array.from({ length: NAMESPACES }, (_, i) => ns(i)), 'apps'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    pools: POOLS.map((p) => ({
      apiVersion: `${G}/v1alpha2`,
      kind: 'GlobalInClusterIPPool',
      metadata: { name: p.name },
      spec: { addresses: [`${formatAddr({ family: 4, value: p.base })}/16`], prefix: 16, gateway: formatAddr({ family: 4, value: p.base + 1n }) },
    })),
    cluster: (c: number) => ({ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: `c${c}`, namespace: clusterNs(c) }, spec: {} }),
    claim: (i: number) => ({
      apiVersion: `${G}/v1beta2`,
      kind: 'IPAddressClaim',
      metadata: { name: `addr-${i}`, namespace: nsOfAddress(i), labels: { 'cluster.x-k8s.io/cluster-name': clusterOf(i, s) } },
      spec: { poolRef: { apiGroup: G, kind: 'GlobalInClusterIPPool', name: addressOf(i).pool } },
    }),
    address: (i: number) => ({
      apiVersion: `${G}/v1beta2`,
      kind: 'IPAddress',
      metadata: { name: `addr-${i}`, namespace: nsOfAddress(i), labels: { 'cluster.x-k8s.io/cluster-name': clusterOf(i, s) } },
      spec: {
        address: addressOf(i).address,
        prefix: 16,
        gateway: formatAddr({ family: 4, value: (addressOf(i).pool === 'scale-a' ? POOLS[0]! : POOLS[1]!).base + 1n }),
        claimRef: { name: `addr-${i}` },
        poolRef: { apiGroup: G, kind: 'GlobalInClusterIPPool', name: addressOf(i).pool },
      },
    }),
    service: (i: number) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `lb-${i}`, namespace: 'apps' },
      spec: { type: 'LoadBalancer', loadBalancerIP: formatAddr({ family: 4, value: (10n << 24n) + (80n << 16n) + BigInt(i + 1) }), ports: [{ port: 80 }] },
    }),
  };
}

/** The sandbox, in-process: each claim as the provider leaves it (finalizer, addressRef), each address decorated. */
export async function seedSandbox(b: Backend, s: Scale): Promise<void> {
  const sb = b.sandbox!;
  const o = objects(s);
  for (const x of [...o.namespaces, ...o.pools]) sb.create(x);
  const pools = new Map(POOLS.map((p) => [p.name, sb.get(G, 'GlobalInClusterIPPool', undefined, p.name)!]));
  for (let c = 0; c < s.clusters; c++) sb.create(o.cluster(c));
  for (let i = 0; i < s.addresses; i++) {
    const claim = sb.create({
      ...o.claim(i),
      metadata: { ...o.claim(i).metadata, finalizers: [`${G}/ReleaseAddress`] },
      status: { addressRef: { name: `addr-${i}` } },
    });
    const a = o.address(i);
    const pool = pools.get(addressOf(i).pool)!;
    sb.create({
      ...a,
      metadata: {
        ...a.metadata,
        finalizers: [`${G}/ProtectAddress`],
        ownerReferences: [
          {
            apiVersion: `${G}/v1beta2`,
            kind: 'IPAddressClaim',
            name: claim.metadata.name,
            uid: claim.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
          {
            apiVersion: `${G}/v1alpha2`,
            kind: 'GlobalInClusterIPPool',
            name: pool.metadata.name,
            uid: pool.metadata.uid,
            controller: false,
            blockOwnerDeletion: true,
          },
        ],
      },
    });
  }
  for (let i = 0; i < s.services; i++) sb.create(o.service(i));
  await sb.provider.idle();
}

/** Runs `fn` over 0..n-1 with at most `parallel` at a time. */
async function each(n: number, parallel: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** The real stack over HTTPS; returns the creates per second it managed. */
export async function seedOverWire(b: Pick<Backend, 'create'>, s: Scale, parallel = 16): Promise<number> {
  const o = objects(s);
  for (const x of [...o.namespaces, ...o.pools]) await b.create(x);
  const t = performance.now();
  await each(s.clusters, parallel, (c) => b.create(o.cluster(c)));
  await each(s.addresses, parallel, (i) => b.create(o.address(i)));
  await each(s.addresses, parallel, (i) => b.create(o.claim(i)));
  await each(s.services, parallel, (i) => b.create(o.service(i)));
  return (s.clusters + 2 * s.addresses + s.services) / ((performance.now() - t) / 1000);
}
