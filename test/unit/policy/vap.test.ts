// The generated ValidatingAdmissionPolicy's CEL, compiled and evaluated with Kubernetes' own CEL
// environment (test/policy-cel), against the engine's allocatable set. The same policy applied to a
// real kube-apiserver is test/live/policyApiServer.test.ts.
import { test } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { formatAddr } from '../../../server/src/engine/ip/addr';
import { loadWorkspace } from '../../../server/src/cli/files';
import { policyYaml } from '../../../server/src/engine/policy/yaml';
import { poolRoles } from '../../../server/src/engine/ranking';
import { ROOT } from '../../support/lspClient';
import { type CelCase, celMissing, evaluateCel } from '../../support/policyCel';

const skip = celMissing();

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function examples() {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const { workspace } = loadWorkspace(['test/fixtures/workspace']);
    const analysis = workspace.snapshot().analysis;
    const inventory = analysis.inventory;
    const text = policyYaml(analysis, 'vap').yaml;
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Any);
    return { analysis, inventory, docs, text };
  } finally {
    process.chdir(cwd);
  }
}

const { analysis, inventory, docs, text } = examples();
const [configMap, vap, binding] = docs as [Any, Any, Any];
const params = { data: configMap.data };
const cluster = (host: string | undefined): Any => ({
  apiVersion: 'cluster.x-k8s.io/v1beta1',
  kind: 'Cluster',
  metadata: { name: 'c' },
  spec: host === undefined ? {} : { controlPlaneEndpoint: { host, port: 6443 } },
});
const service = (ip: string | undefined, annotation?: string, type = 'LoadBalancer'): Any => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's', ...(annotation ? { annotations: { 'kube-vip.io/loadbalancerIPs': annotation } } : {}) },
  spec: { type, ...(ip ? { loadBalancerIP: ip } : {}) },
});

test('the documents: ConfigMap of parameters, the policy (paramKind ConfigMap) and its binding', { skip }, () => {
  assert.deepEqual(
    docs.map((d) => `${d.apiVersion} ${d.kind}`),
    ['v1 ConfigMap', 'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding'],
  );
  assert.deepEqual(vap.spec.paramKind, { apiVersion: 'v1', kind: 'ConfigMap' });
  assert.deepEqual(binding.spec.paramRef, { name: configMap.metadata.name, namespace: configMap.metadata.namespace, parameterNotFoundAction: 'Allow' });
  assert.equal(binding.spec.policyName, vap.metadata.name);
  assert.equal(configMap.data.lbCidrs, '10.10.0.60/30,10.10.2.0/27,10.10.2.100/30,10.10.2.104/29,10.10.2.112/29,10.10.2.120/32');
});

test(
  'cluster endpoints: allocatable admitted; reserved, excluded, gateway, outside and node pools rejected; empty, templated and DNS admitted',
  { skip },
  () => {
    const hosts: [string | undefined, boolean][] = [
      ['10.10.0.16', true],
      ['10.10.0.49', true],
      ['10.10.0.52', false], // vip-pool excludes 10.10.0.50-55
      ['10.10.1.1', false],
      ['10.10.1.0', false],
      ['10.10.1.255', false],
      ['10.10.1.2', false], // node-pool (staging's machines draw from it) is no VIP pool
      ['10.10.9.9', false],
      ['api.example.com', true], // a DNS name: not matched (CEL cannot resolve it; capi-ipam check does)
      ['::ffff:10.10.0.16', false],
      ['', true],
      [undefined, true],
      ['${CONTROL_PLANE_ENDPOINT_IP}', true],
      ['{{ .Values.host }}', true],
    ];
    const cases: CelCase[] = hosts.flatMap(([host], i) => [
      { name: `cluster ${i}`, resource: 'clusters', object: cluster(host), params },
      { name: `vsphere ${i}`, resource: 'vsphereclusters', object: { ...cluster(host), kind: 'VSphereCluster' }, params },
    ]);
    const verdicts = evaluateCel(vap.spec, cases);
    hosts.forEach(([host, allowed], i) => {
      for (const v of verdicts.filter((x) => x.name.endsWith(` ${i}`)))
        assert.equal(v.allowed, allowed, `${v.name} host ${String(host)}: ${v.messages.join('; ')}`);
    });
    assert.deepEqual(verdicts.find((v) => v.name === 'cluster 2')!.messages, [
      'controlPlaneEndpoint.host 10.10.0.52 is not an address the VIP pools can allocate (capi-ipam policy)',
    ]);
  },
);

test("the CEL verdict equals the engine's allocatable set on every address of 10.10.0.0/22", { skip }, () => {
  const cases: CelCase[] = [];
  for (let v = 0x0a0a0000n; v <= 0x0a0a03ffn; v++)
    cases.push({ name: formatAddr({ family: 4, value: v }), resource: 'clusters', object: cluster(formatAddr({ family: 4, value: v })), params });
  const verdicts = evaluateCel(vap.spec, cases);
  const roles = poolRoles(inventory, analysis.clusters);
  const allocatable = (ip: string) =>
    inventory.pools.some(
      (p) =>
        roles.get(p) !== 'node' &&
        p.analysis.errors.length === 0 &&
        p.analysis.allocatable.contains(BigInt(ip.split('.').reduce((n, o) => n * 256 + Number(o), 0))),
    );
  const disagree = verdicts.filter((v) => v.allowed !== allocatable(v.name)).map((v) => v.name);
  assert.deepEqual(disagree, []);
  assert.equal(verdicts.filter((v) => v.allowed).length, 42 + 31, 'vip-pool and lab-pool; not node-pool (253)');
});

test('Services: a requested IP outside the kube-vip ranges is rejected; DHCP, pending and other types admitted', { skip }, () => {
  const list: [string, Any, boolean][] = [
    ['annotation in cidr-global', service(undefined, '10.10.2.5'), true],
    ['spec.loadBalancerIP in range-default', service('10.10.0.61'), true],
    ['outside', service('10.10.5.5'), false],
    ['annotation wins over spec', service('10.10.5.5', '10.10.2.6'), true],
    ['one of two outside', service(undefined, '10.10.2.5,10.10.9.9'), false],
    ['DHCP', service(undefined, '0.0.0.0'), true],
    ['pending', service(undefined), true],
    ['not a LoadBalancer', service('10.10.5.5', undefined, 'ClusterIP'), true],
    ['not an IP', service(undefined, 'lb.example.com'), false],
  ];
  const verdicts = evaluateCel(
    vap.spec,
    list.map(([name, object]) => ({ name, resource: 'services', object, params })),
  );
  for (const [name, , allowed] of list) assert.equal(verdicts.find((v) => v.name === name)!.allowed, allowed, name);
  assert.deepEqual(verdicts.find((v) => v.name === 'one of two outside')!.messages, [
    'LoadBalancer IP 10.10.2.5,10.10.9.9 lies outside the kube-vip ranges (capi-ipam policy)',
  ]);
});

test('a pool change is a new ConfigMap, not a new policy: the same CEL with other parameters', { skip }, () => {
  const other = { data: { vipCidrs: '192.168.7.0/29', lbCidrs: '' } };
  const verdicts = evaluateCel(vap.spec, [
    { name: 'old', resource: 'clusters', object: cluster('10.10.0.16'), params: other },
    { name: 'new', resource: 'clusters', object: cluster('192.168.7.3'), params: other },
    { name: 'no data', resource: 'clusters', object: cluster('192.168.7.3'), params: {} },
  ]);
  assert.deepEqual(
    verdicts.map((v) => [v.name, v.allowed]),
    [
      ['old', false],
      ['new', true],
      ['no data', false],
    ],
  );
});

test('scoped: only what the policy guards is evaluated, so a broken parameter ConfigMap blocks nothing else', { skip }, () => {
  const missing = {}; // a ConfigMap without data: only what the match condition lets in is evaluated, and refused
  const list: [string, string, Any, { matched: boolean; allowed: boolean }][] = [
    ['ClusterIP Service', 'services', service('10.10.5.5', undefined, 'ClusterIP'), { matched: false, allowed: true }],
    ['LoadBalancer without a requested IP', 'services', service(undefined), { matched: false, allowed: true }],
    ['LoadBalancer requesting an IP', 'services', service('10.10.2.5'), { matched: true, allowed: false }],
    ['Cluster with a DNS host', 'clusters', cluster('api.lab.local'), { matched: false, allowed: true }],
    ['Cluster without a host', 'clusters', cluster(undefined), { matched: false, allowed: true }],
    ['Cluster with a templated host', 'clusters', cluster('${CONTROL_PLANE_ENDPOINT_IP}'), { matched: false, allowed: true }],
    ['Cluster with an address', 'clusters', cluster('10.10.0.16'), { matched: true, allowed: false }],
    ['Cluster with an IPv6 address', 'clusters', cluster('fd00::10'), { matched: true, allowed: false }],
  ];
  const verdicts = evaluateCel(
    vap.spec,
    list.map(([name, resource, object]) => ({ name, resource, object, params: missing })),
  );
  for (const [name, , , want] of list) {
    const v = verdicts.find((x) => x.name === name)!;
    assert.deepEqual({ matched: v.matched, allowed: v.allowed }, want, `${name}: ${v.messages.join('; ')}`);
  }
  assert.deepEqual(
    vap.spec.matchConditions.map((m: Any) => m.name),
    ['guarded-objects-only'],
  );
});

test("the policy's comments state its scope, what it admits unchecked and which pools are VIP pools", { skip }, () => {
  const header = text.slice(0, text.indexOf('\napiVersion'));
  assert.match(header, /^# Scope: a Cluster or infrastructure cluster whose controlPlaneEndpoint\.host is written as an address, and a$/m);
  assert.match(header, /^# object is ever evaluated \(matchConditions\), so a broken parameter ConfigMap blocks none of them\.$/m);
  assert.match(header, /^# Apply the ConfigMap first: while it is missing the policy checks nothing \(parameterNotFoundAction: Allow\), it never blocks\.$/m);
  assert.match(header, /^# Admitted unchecked: empty and templated hosts \(\$\{…\}, \{\{ … \}\}\), DNS names/m);
  assert.match(header, /^#   left out InClusterIPPool default\/node-pool: a node pool \(machines draw node addresses from it; --pool adds it\)$/m);
});

test("without machine templates, a pool holding a cluster's machine addresses is a node pool, never a VIP pool", () => {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-policy-nodes-'));
  writeFileSync(
    join(dir, 'ipam.yaml'),
    `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: GlobalInClusterIPPool
metadata:
  name: vips
spec:
  addresses: [10.30.0.10-10.30.0.19]
  prefix: 24
---
apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: GlobalInClusterIPPool
metadata:
  name: nodes
spec:
  addresses: [10.30.1.10-10.30.1.99]
  prefix: 24
---
apiVersion: ipam.cluster.x-k8s.io/v1beta1
kind: IPAddress
metadata:
  name: wl-md-0-x7k2p-0-0
  namespace: default
  labels:
    cluster.x-k8s.io/cluster-name: wl
spec:
  address: 10.30.1.10
  prefix: 24
  claimRef: { name: wl-md-0-x7k2p-0-0 }
  poolRef: { apiGroup: ipam.cluster.x-k8s.io, kind: GlobalInClusterIPPool, name: nodes }
`,
  );
  const { workspace } = loadWorkspace([dir]);
  const { yaml, notes } = policyYaml(workspace.snapshot().analysis, 'vap');
  assert.deepEqual(notes.slice(0, 2), [
    'left out GlobalInClusterIPPool nodes: a node pool (machines draw node addresses from it; --pool adds it)',
    'VIP pool GlobalInClusterIPPool vips: 10 allocatable address(es)',
  ]);
  assert.match(yaml, /^ {2}vipCidrs: 10\.30\.0\.10\/31,10\.30\.0\.12\/30,10\.30\.0\.16\/30$/m);
});
