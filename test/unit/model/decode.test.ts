// One decoder for files and API objects: the same object written as YAML and served as JSON becomes
// the same inventory, positions aside. The defaults that once drifted (the kube-vip ConfigMap's
// namespace, allocateReservedIPAddresses, empty annotation parts) are pinned here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { toInventory } from '../../../server/src/live/convert';
import type { Inventory } from '../../../server/src/engine/model/types';
import { plainOf } from '../../../server/src/engine/yaml/plain';
import { parseDocument } from 'yaml';

const YAML = `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: InClusterIPPool
metadata:
  name: vips
  namespace: infra
spec:
  addresses: ["10.0.0.10-10.0.0.20", 10.0.0.30]
  prefix: 24
  gateway: 10.0.0.1
  excludedAddresses:
    - 10.0.0.15
  allocateReservedIPAddresses: true
---
apiVersion: ipam.cluster.x-k8s.io/v1alpha1
kind: GlobalInClusterIPPool
metadata:
  name: old
spec:
  subnet: 10.1.0.0/29
  gateway: 10.1.0.1
---
apiVersion: ipam.cluster.x-k8s.io/v1beta1
kind: IPAddressClaim
metadata:
  name: a-vip
  labels: {cluster.x-k8s.io/cluster-name: a}
spec:
  poolRef: {apiGroup: ipam.cluster.x-k8s.io, kind: InClusterIPPool, name: vips}
---
apiVersion: ipam.cluster.x-k8s.io/v1beta1
kind: IPAddress
metadata:
  name: a-vip
  namespace: infra
spec:
  address: 10.0.0.10
  prefix: 24
  poolRef: {apiGroup: ipam.cluster.x-k8s.io, kind: InClusterIPPool, name: vips}
  claimRef: {name: a-vip}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
    kube-vip.io/loadbalancerIPs: "10.2.0.5,,fd00::5"
spec:
  type: LoadBalancer
  ports: [{port: 443}, {port: "80"}]
status:
  loadBalancer:
    ingress: [{ip: 10.2.0.5}, {ip: 10.2.0.6}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: kubevip
data:
  cidr-global: 10.2.0.0/28,10.3.0.0/30
  range-shop: 10.4.0.1-10.4.0.9
`;

// The same objects as the API server serves them (what JSON.parse gives).
const API: [string, object[]][] = [
  [
    'InClusterIPPool',
    [
      {
        apiVersion: 'ipam.cluster.x-k8s.io/v1alpha2',
        kind: 'InClusterIPPool',
        metadata: { name: 'vips', namespace: 'infra' },
        spec: {
          addresses: ['10.0.0.10-10.0.0.20', '10.0.0.30'],
          prefix: 24,
          gateway: '10.0.0.1',
          excludedAddresses: ['10.0.0.15'],
          allocateReservedIPAddresses: true,
        },
      },
    ],
  ],
  [
    'GlobalInClusterIPPool',
    [
      {
        apiVersion: 'ipam.cluster.x-k8s.io/v1alpha1',
        kind: 'GlobalInClusterIPPool',
        metadata: { name: 'old' },
        spec: { subnet: '10.1.0.0/29', gateway: '10.1.0.1' },
      },
    ],
  ],
  [
    'IPAddressClaim',
    [
      {
        metadata: { name: 'a-vip', labels: { 'cluster.x-k8s.io/cluster-name': 'a' } },
        spec: { poolRef: { apiGroup: 'ipam.cluster.x-k8s.io', kind: 'InClusterIPPool', name: 'vips' } },
      },
    ],
  ],
  [
    'IPAddress',
    [
      {
        metadata: { name: 'a-vip', namespace: 'infra' },
        spec: {
          address: '10.0.0.10',
          prefix: 24,
          poolRef: { apiGroup: 'ipam.cluster.x-k8s.io', kind: 'InClusterIPPool', name: 'vips' },
          claimRef: { name: 'a-vip' },
        },
      },
    ],
  ],
  [
    'Service',
    [
      {
        metadata: { name: 'web', namespace: 'shop', annotations: { 'kube-vip.io/loadbalancerIPs': '10.2.0.5,,fd00::5' } },
        spec: { type: 'LoadBalancer', ports: [{ port: 443 }, { port: '80' }] },
        status: { loadBalancer: { ingress: [{ ip: '10.2.0.5' }, { ip: '10.2.0.6' }] } },
      },
    ],
  ],
  ['ConfigMap', [{ metadata: { name: 'kubevip' }, data: { 'cidr-global': '10.2.0.0/28,10.3.0.0/30', 'range-shop': '10.4.0.1-10.4.0.9' } }]],
];

/** The inventory without where things are written (a file has places, an API object none). */
function model(inv: Inventory): unknown {
  const strip = (v: unknown): unknown => {
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, strip(x)]));
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v !== 'object' || v === null) return v;
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'origin' && k !== 'site')
        .map(([k, x]) => [k, strip(x)]),
    );
  };
  const { pools, claims, addresses, services, kubeVipRanges, kubeVipConfigs } = inv;
  return strip({ pools, claims, addresses, services, kubeVipRanges, kubeVipConfigs });
}

function fromFile(): { inv: Inventory; text: string } {
  const ws = new Workspace();
  ws.setFile('file:///w/ipam.yaml', YAML);
  return { inv: ws.analyze().inventory, text: YAML };
}

const fromApi = () => toInventory(new Map(JSON.parse(JSON.stringify(API))));

test('the same objects as YAML and as API JSON decode to the same inventory', () => {
  assert.deepEqual(model(fromFile().inv), model(fromApi()));
});

test('defaults that drifted between the file and live decoders are one', () => {
  for (const inv of [fromFile().inv, fromApi()]) {
    // A kubevip ConfigMap that names no namespace is in `default`, as for every other kind.
    assert.deepEqual(
      inv.kubeVipConfigs!.map((c) => c.namespace),
      ['default'],
    );
    assert.deepEqual(
      inv.kubeVipRanges.map((r) => `${r.configMapNamespace}:${r.key}:${r.entry}`),
      ['default:cidr-global:10.2.0.0/28', 'default:cidr-global:10.3.0.0/30', 'default:range-shop:10.4.0.1-10.4.0.9'],
    );
    assert.equal(inv.pools[0]!.spec.allocateReservedIPAddresses, true);
    assert.deepEqual(
      inv.pools.map((p) => `${p.namespace ?? ''}/${p.name}:${p.spec.addresses.join()}/${p.spec.prefix}`),
      ['infra/vips:10.0.0.10-10.0.0.20,10.0.0.30/24', '/old:10.1.0.1-10.1.0.6/29'],
    );
    assert.deepEqual(
      inv.claims.map((c) => `${c.namespace}/${c.name}→${c.clusterName}`),
      ['default/a-vip→a'],
    );
    // The provider fails on an empty annotation part: it stays requested; addresses are listed once.
    assert.deepEqual(
      inv.services[0]!.requested!.map((r) => r.value),
      ['10.2.0.5', '', 'fd00::5'],
    );
    assert.deepEqual(
      inv.services[0]!.ips.map((r) => r.value),
      ['10.2.0.5', 'fd00::5', '10.2.0.6'],
    );
    assert.deepEqual(inv.services[0]!.ports, [443, 80]);
  }
});

test("a file's values keep their exact places; an API object has none", () => {
  const { inv, text } = fromFile();
  const at = (s: { start: number; end: number } | undefined) => s && text.slice(s.start, s.end);
  const pool = inv.pools[0]!;
  assert.deepEqual(pool.origin!.addresses.map(at), ['10.0.0.10-10.0.0.20', '10.0.0.30']);
  assert.deepEqual(pool.origin!.excludedAddresses.map(at), ['10.0.0.15']);
  assert.equal(at(pool.origin!.gateway), '10.0.0.1');
  assert.equal(at(pool.origin!.prefix), '24');
  assert.equal(at(inv.addresses[0]!.origin!.span), '10.0.0.10');
  assert.deepEqual(
    inv.services[0]!.requested!.map((r) => at(r.site!.span)),
    ['10.2.0.5', '', 'fd00::5'],
  );
  assert.deepEqual(
    inv.kubeVipRanges.map((r) => at(r.site!.span)),
    ['10.2.0.0/28', '10.3.0.0/30', '10.4.0.1-10.4.0.9'],
  );
  const live = fromApi();
  assert.equal(live.pools[0]!.origin, undefined);
  assert.equal(live.services[0]!.requested![0]!.site, undefined);
});

test('a pool without prefix: missing in a file (the webhook refuses it), 0 as the API server serves it', () => {
  const ws = new Workspace();
  ws.setFile(
    'file:///w/p.yaml',
    'apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: GlobalInClusterIPPool\nmetadata: {name: g}\nspec:\n  addresses: [10.0.0.1]\n',
  );
  assert.equal(ws.analyze().inventory.pools[0]!.spec.prefix, undefined);
  const live = toInventory(
    new Map([
      ['GlobalInClusterIPPool', [{ apiVersion: 'ipam.cluster.x-k8s.io/v1alpha2', metadata: { name: 'g' }, spec: { addresses: ['10.0.0.1'] } }]],
    ]) as never,
  );
  assert.equal(live.pools[0]!.spec.prefix, 0);
});

test("a file's plain values follow the yaml/ lookups: first duplicate key, no alias, __proto__ a plain key, depth bounded", () => {
  const root = parseDocument('a: 1\na: 2\nb: &x [1]\nc: *x\n__proto__: {polluted: true}\nd: ' + '['.repeat(40) + ']'.repeat(40) + '\n', {
    uniqueKeys: false,
  }).contents;
  const plain = plainOf(root) as Record<string, unknown>;
  assert.equal(plain.a, 1);
  assert.deepEqual(plain.b, [1]);
  assert.equal(plain.c, undefined);
  assert.deepEqual(Object.getOwnPropertyDescriptor(plain, '__proto__')?.value, { polluted: true });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(plain), Object.prototype);
  let depth = 0;
  for (let v = plain.d; Array.isArray(v); v = v[0]) depth++;
  assert.ok(depth > 0 && depth < 40, `cut off at ${depth}`);
  assert.equal(plainOf(root), plain, 'made once per node');
});
