// Raw API objects (as the cluster serves them) become the engine's inventory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toInventory } from '../../../server/src/live/convert';
import { convertV1alpha1 } from '../../../server/src/engine/ip/v1alpha1';

test("v1alpha1 pools convert like the provider's webhook (api/v1alpha1 conversion)", () => {
  assert.deepEqual(convertV1alpha1({ addresses: [], subnet: '1.1.1.0/24' }), { addresses: ['1.1.1.1-1.1.1.254'], prefix: 24 });
  assert.deepEqual(convertV1alpha1({ addresses: ['10.0.0.5'], start: '10.0.0.10', end: '10.0.0.20', prefix: 24 }), {
    addresses: ['10.0.0.5', '10.0.0.10-10.0.0.20'],
    prefix: 24,
  });
  assert.deepEqual(convertV1alpha1({ addresses: [], subnet: '10.0.0.0/24', start: '10.0.0.100' }), { addresses: ['10.0.0.100-10.0.0.254'], prefix: 24 });
});

test('live objects: pools of both versions, addresses with their owner, LB Services, kube-vip ranges, endpoints', () => {
  const inv = toInventory(
    new Map<string, never[]>([
      [
        'GlobalInClusterIPPool',
        [
          {
            apiVersion: 'ipam.cluster.x-k8s.io/v1alpha2',
            metadata: { name: 'g' },
            spec: { addresses: ['10.0.0.10-10.0.0.20'], prefix: 24, gateway: '10.0.0.1' },
          },
        ] as never[],
      ],
      [
        'InClusterIPPool',
        [{ apiVersion: 'ipam.cluster.x-k8s.io/v1alpha1', metadata: { name: 'old', namespace: 'ns' }, spec: { subnet: '10.1.0.0/24' } }] as never[],
      ],
      [
        'IPAddress',
        [
          {
            metadata: { name: 'a-vip', namespace: 'ns' },
            spec: {
              address: '10.0.0.10',
              prefix: 24,
              claimRef: { name: 'a-vip' },
              poolRef: { apiGroup: 'ipam.cluster.x-k8s.io', kind: 'GlobalInClusterIPPool', name: 'g' },
            },
          },
        ] as never[],
      ],
      [
        'IPAddressClaim',
        [{ metadata: { name: 'a-vip', namespace: 'ns' }, spec: { clusterName: 'a', poolRef: { kind: 'GlobalInClusterIPPool', name: 'g' } } }] as never[],
      ],
      [
        'Service',
        [
          {
            metadata: { name: 'web', namespace: 'shop', annotations: { 'kube-vip.io/loadbalancerIPs': '10.2.0.5,fd00::5' } },
            spec: { type: 'LoadBalancer' },
            status: { loadBalancer: { ingress: [{ ip: '10.2.0.5' }] } },
          },
          { metadata: { name: 'internal', namespace: 'shop' }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.10' } },
        ] as never[],
      ],
      [
        'ConfigMap',
        [
          {
            metadata: { name: 'kubevip', namespace: 'kube-system' },
            data: { 'cidr-global': '10.2.0.0/28,10.3.0.0/30', 'range-shop': '10.4.0.1-10.4.0.9', 'allow-share-global': 'true' },
          },
        ] as never[],
      ],
      ['Cluster', [{ metadata: { name: 'a', namespace: 'ns' }, spec: { controlPlaneEndpoint: { host: '10.0.0.10', port: 6443 } } }] as never[]],
    ]),
  );
  assert.deepEqual(
    inv.pools.map((p) => `${p.kind}/${p.namespace ?? ''}/${p.name}:${p.spec.addresses.join()}/${p.spec.prefix}:${p.analysis.total}`),
    ['InClusterIPPool/ns/old:10.1.0.1-10.1.0.254/24:254', 'GlobalInClusterIPPool//g:10.0.0.10-10.0.0.20/24:11'],
  );
  assert.deepEqual(
    inv.claims.map((c) => `${c.namespace}/${c.name}→${c.clusterName}`),
    ['ns/a-vip→a'],
  );
  assert.equal(inv.addresses[0]!.claimName, 'a-vip');
  assert.deepEqual(
    inv.services.map((s) => `${s.namespace}/${s.name}:${s.ips.map((i) => i.value).join()}`),
    ['shop/web:10.2.0.5,fd00::5'],
  );
  assert.deepEqual(
    inv.kubeVipRanges.map((r) => `${r.key}:${r.scope}:${r.entry}`),
    ['cidr-global:global:10.2.0.0/28', 'cidr-global:global:10.3.0.0/30', 'range-shop:shop:10.4.0.1-10.4.0.9'],
  );
  assert.deepEqual(inv.endpoints, [{ clusterName: 'a', namespace: 'ns', host: '10.0.0.10', kind: 'Cluster' }]);
});
