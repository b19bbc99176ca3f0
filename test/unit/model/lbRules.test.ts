// The LoadBalancer rules' branches the CLI fixture does not reach, with exact texts and ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';

const configMap = (data: Record<string, string>) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: kubevip
  namespace: kube-system
data:
${Object.entries(data)
  .map(([k, v]) => `  ${k}: "${v}"`)
  .join('\n')}
`;

const service = (ns: string, name: string, ip: string, ports: number[] = [80]) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
  annotations:
    kube-vip.io/loadbalancerIPs: ${ip}
spec:
  type: LoadBalancer
  ports: [${ports.map((p) => `{port: ${p}}`).join(', ')}]
---
`;

function findings(files: Record<string, string>, code: string) {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  return ws
    .analyze()
    .findings.filter((f) => f.code === code)
    .map((f) => ({ at: files[f.uri]!.slice(f.span.start, f.span.end), message: f.message }));
}

test('lb-ip-outside-range: the namespace key wins over global ones; .0/.255; no pool for the namespace', () => {
  const cm = configMap({ 'range-team': '10.1.0.250-10.1.1.5', 'cidr-global': '10.2.0.0/24' });
  assert.deepEqual(
    findings(
      { 'cm.yaml': cm, 's.yaml': service('team', 'a', '10.1.1.0') + service('team', 'b', '10.1.0.251') + service('team', 'c', '10.2.0.7') },
      'lb-ip-outside-range',
    ),
    [
      {
        at: '10.1.1.0',
        message:
          '10.1.1.0 is outside cidr-global 10.2.0.0/24, the kube-vip range namespace team draws from: range-team lists it, but the provider looks up cidr-global first.',
      },
      {
        at: '10.1.0.251',
        message:
          '10.1.0.251 is outside cidr-global 10.2.0.0/24, the kube-vip range namespace team draws from: range-team lists it, but the provider looks up cidr-global first.',
      },
    ],
  );
  const own = configMap({ 'cidr-team': '10.1.0.0/23', 'range-global': '10.3.0.1-10.3.0.9' });
  assert.deepEqual(
    findings(
      { 'cm.yaml': own, 's.yaml': service('team', 'a', '10.1.1.0') + service('team', 'b', '10.1.0.255') + service('team', 'c', '10.1.1.7') },
      'lb-ip-outside-range',
    ),
    [
      {
        at: '10.1.1.0',
        message:
          '10.1.1.0 is outside cidr-team 10.1.0.0/23, the kube-vip range namespace team draws from: the provider never hands out IPv4 addresses ending in .0 or .255.',
      },
      {
        at: '10.1.0.255',
        message:
          '10.1.0.255 is outside cidr-team 10.1.0.0/23, the kube-vip range namespace team draws from: the provider never hands out IPv4 addresses ending in .0 or .255.',
      },
    ],
  );
  assert.deepEqual(
    findings({ 'cm.yaml': configMap({ 'range-team': '10.1.0.1-10.1.0.9' }), 's.yaml': service('other', 'a', '10.1.0.3') }, 'lb-ip-outside-range'),
    [
      {
        at: '10.1.0.3',
        message:
          '10.1.0.3 is outside every kube-vip range: ConfigMap kube-system/kubevip has no cidr-other, cidr-global, range-other or range-global for namespace other.',
      },
    ],
  );
  // Without a kubevip ConfigMap nothing is known about ranges: no finding.
  assert.deepEqual(findings({ 's.yaml': service('team', 'a', '10.1.1.0') }, 'lb-ip-outside-range'), []);
});

test('lb-ip-conflict: sharing needs allow-share on both sides, IPv4, and ports that do not overlap', () => {
  const two = service('a', 'one', '10.5.0.5', [80]) + service('b', 'two', '10.5.0.5', [443]);
  const cm = (data: Record<string, string>) => configMap({ 'cidr-global': '10.5.0.0/24', ...data });
  assert.equal(findings({ 'cm.yaml': cm({ 'allow-share-global': 'true' }), 's.yaml': two }, 'lb-ip-conflict').length, 0);
  assert.equal(findings({ 'cm.yaml': cm({ 'allow-share-a': 'True', 'allow-share-b': '1' }), 's.yaml': two }, 'lb-ip-conflict').length, 0);
  assert.deepEqual(
    findings({ 'cm.yaml': cm({ 'allow-share-a': 'true' }), 's.yaml': two }, 'lb-ip-conflict').map((f) => f.message),
    [
      '10.5.0.5 is also the load-balancer IP of Service b/two (sharing needs allow-share for both namespaces and ports on both Services that do not overlap).',
      '10.5.0.5 is also the load-balancer IP of Service a/one.',
    ],
  );
  assert.equal(findings({ 'cm.yaml': cm({ 'allow-share-global': 'yes' }), 's.yaml': two }, 'lb-ip-conflict').length, 2);
  const noPorts = service('a', 'one', '10.5.0.5', []) + service('a', 'two', '10.5.0.5', [443]);
  assert.equal(findings({ 'cm.yaml': cm({ 'allow-share-global': 'true' }), 's.yaml': noPorts }, 'lb-ip-conflict').length, 2);
  const v6 = service('a', 'one', 'fd00::5', [80]) + service('a', 'two', 'fd00::5', [443]);
  assert.equal(findings({ 'cm.yaml': cm({ 'allow-share-global': 'true' }), 's.yaml': v6 }, 'lb-ip-conflict').length, 2);
  // DHCP (0.0.0.0) is not an address two Services can collide on.
  assert.equal(findings({ 's.yaml': service('a', 'one', '0.0.0.0') + service('a', 'two', '0.0.0.0') }, 'lb-ip-conflict').length, 0);
});

test('invalid-lb-range underlines the entry; a valid pool with a bad neighbour key still parses alone', () => {
  const cm = configMap({ 'range-a': '10.0.0.1-10.0.0.5,10.0.1.0/24', 'range-b': '10.0.0.9', 'cidr-c': '' });
  assert.deepEqual(findings({ 'cm.yaml': cm }, 'invalid-lb-range'), [
    {
      at: '10.0.0.1-10.0.0.5',
      message: "range-a: netip.ParsePrefix(\"10.0.0.1-10.0.0.5\"): no '/' (the value holds a '/', so the provider reads every entry as a CIDR)",
    },
    { at: '10.0.0.9', message: 'range-b: unable to parse IP range [10.0.0.9]' },
    { at: 'kubevip', message: 'cidr-c: could not discover address: pool is not specified' },
  ]);
});

test('lb-range-pool-overlap counts what both providers hand out, not .0/.255 nor IPAM reserved addresses', () => {
  const pool = `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: InClusterIPPool
metadata:
  name: nodes
  namespace: default
spec:
  addresses: [10.9.0.0/24]
  prefix: 24
  gateway: 10.9.0.1
`;
  assert.deepEqual(findings({ 'p.yaml': pool, 'cm.yaml': configMap({ 'cidr-global': '10.9.0.0/30,10.9.1.0/24' }) }, 'lb-range-pool-overlap'), [
    {
      at: '10.9.0.0/30',
      message:
        'cidr-global entry 10.9.0.0/30 overlaps InClusterIPPool default/nodes: 2 address(es) both the kube-vip cloud provider and the IPAM provider can hand out, e.g. 10.9.0.2.',
    },
  ]);
  assert.deepEqual(findings({ 'p.yaml': pool, 'cm.yaml': configMap({ 'range-global': '10.9.0.255-10.9.1.5' }) }, 'lb-range-pool-overlap'), []);
});

test('kube-vip usage: search-order desc hands out from the top; a namespace key counts only its namespace', async () => {
  const { kubeVipUsage } = await import('../../../server/src/engine/features/kubeVipUsage');
  const ws = new Workspace();
  ws.setFile('cm.yaml', configMap({ 'range-team': '10.1.0.250-10.1.1.5', 'cidr-global': '10.2.0.0/29', 'search-order': 'desc' }));
  ws.setFile('s.yaml', service('team', 'a', '10.1.1.5') + service('other', 'b', '10.1.1.4') + service('other', 'c', '10.2.0.7'));
  const rows = kubeVipUsage(ws.analyze().inventory).map((u) => [u.key, u.total, u.used, u.free, u.firstFree, u.users.map((s) => s.name)]);
  assert.deepEqual(rows, [
    ['range-team', 10n, 1, 9n, '10.1.1.4', ['a']], // 12 addresses less .255 and .0; other/b's 10.1.1.4 is not in team's scope
    ['cidr-global', 7n, 1, 6n, '10.2.0.6', ['c']], // no skip-end-ips-in-cidr: 10.2.0.0 is lost to the .0 rule only
  ]);
});

test('live: a workspace Service conflicts with a live Service and follows the live kubevip ConfigMap', async () => {
  const { toInventory } = await import('../../../server/src/live/convert');
  const ws = new Workspace();
  ws.setFile('s.yaml', service('web', 'mine', '10.7.0.5', [443]));
  ws.setFile('cm.yaml', configMap({ 'cidr-global': '10.99.0.0/24' })); // the live ConfigMap wins
  const live = toInventory(
    new Map([
      [
        'Service',
        [
          {
            metadata: { name: 'theirs', namespace: 'web', annotations: { 'kube-vip.io/loadbalancerIPs': '10.7.0.5' } },
            spec: { type: 'LoadBalancer', ports: [{ port: 443 }] },
          },
        ],
      ],
      ['ConfigMap', [{ metadata: { name: 'kubevip', namespace: 'kube-system' }, data: { 'cidr-web': '10.7.0.0/28', 'allow-share-web': 'true' } }]],
    ]) as never,
  );
  ws.setLiveInventory(live);
  const found = ws
    .analyze()
    .findings.filter((f) => f.code.startsWith('lb-'))
    .map((f) => `${f.code}: ${f.message}`);
  assert.deepEqual(found, [
    'lb-ip-conflict: 10.7.0.5 is also the load-balancer IP of Service web/theirs (sharing needs allow-share for both namespaces and ports on both Services that do not overlap).',
  ]);
});

test('live: a Service written in the workspace and running in the cluster is still checked where the file requests its IP', async () => {
  const { toInventory } = await import('../../../server/src/live/convert');
  const ws = new Workspace();
  const text = service('web', 'mine', '10.7.0.5', [443]);
  ws.setFile('s.yaml', text);
  ws.setFile(
    'c.yaml',
    'apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: c\n  namespace: default\nspec:\n  controlPlaneEndpoint:\n    host: 10.7.0.5\n',
  );
  ws.setLiveInventory(
    toInventory(
      new Map([
        [
          'Service',
          [
            {
              metadata: { name: 'mine', namespace: 'web', annotations: { 'kube-vip.io/loadbalancerIPs': '10.7.0.5' } },
              spec: { type: 'LoadBalancer', ports: [{ port: 443 }] },
              status: { loadBalancer: { ingress: [{ ip: '10.7.0.5' }] } },
            },
          ],
        ],
        ['ConfigMap', [{ metadata: { name: 'kubevip', namespace: 'kube-system' }, data: { 'cidr-web': '10.7.0.0/28' } }]],
      ]) as never,
    ),
  );
  const found = ws.analyze().findings.filter((f) => f.code === 'lb-ip-conflict' || f.code === 'duplicate-ip');
  assert.deepEqual(
    found.map((f) => [f.code, f.uri, text.slice(f.span.start, f.span.end)]).filter(([, uri]) => uri === 's.yaml'),
    [['lb-ip-conflict', 's.yaml', '10.7.0.5']],
  );
  const dup = found.find((f) => f.code === 'duplicate-ip')!;
  assert.equal(dup.related?.[0]?.uri, 's.yaml', 'the VIP finding points at the Service in the file');
});
