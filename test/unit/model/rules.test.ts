// Each rule fires on what it is about, stays quiet on what is fine, and links clusters across files.
// Single-file cases with their exact ranges and messages are the rules' fixtures (server/src/engine/rules/fixtures/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';

const pool = (name: string, addresses: string, extra = '', kind = 'GlobalInClusterIPPool') => `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: ${kind}
metadata:
  name: ${name}
  namespace: default
spec:
  addresses: [${addresses}]
  prefix: 24
  gateway: 10.0.0.1
${extra}---
`;

const cluster = (name: string, host: string, extra = '') => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: ${name}
  namespace: default
spec:
  clusterNetwork:
    pods:
      cidrBlocks: [192.168.0.0/16]
  controlPlaneEndpoint:
    host: ${host}
  infrastructureRef:
    kind: VSphereCluster
    name: ${name}
  controlPlaneRef:
    kind: KubeadmControlPlane
    name: ${name}
${extra}---
`;

const infra = (name: string, host: string) => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata:
  name: ${name}
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ${host}
    port: 6443
---
`;

const kcp = (name: string, certSans: string[]) => `apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: ${name}
  namespace: default
spec:
  kubeadmConfigSpec:
    clusterConfiguration:
      apiServer:
        certSANs: [${certSans.join(', ')}]
---
`;

function run(files: Record<string, string>) {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  const a = ws.analyze();
  const codes = (uri?: string) => a.findings.filter((f) => !uri || f.uri === uri).map((f) => f.code);
  const at = (code: string) => a.findings.filter((f) => f.code === code).map((f) => files[f.uri]!.slice(f.span.start, f.span.end));
  return { a, codes, at };
}

test('a cluster split over three files is linked by its refs; a clean cluster has no findings', () => {
  const r = run({
    'p.yaml': pool('vips', '"10.0.0.10-10.0.0.50"'),
    'c.yaml': cluster('a', '10.0.0.10'),
    'i.yaml': infra('a', '10.0.0.10'),
    'k.yaml': kcp('a', ['10.0.0.10', 'api.example.com', '127.0.0.1']),
  });
  assert.deepEqual(r.codes(), []);
  assert.deepEqual(r.a.clusters[0]!.uris.sort(), ['c.yaml', 'i.yaml', 'k.yaml']);
});

test('vip-mismatch across files; duplicate-ip between two clusters in different files', () => {
  const r = run({ 'c.yaml': cluster('a', '10.0.0.10'), 'i.yaml': infra('a', '10.0.0.11'), 'b.yaml': cluster('b', '10.0.0.10') });
  assert.deepEqual(r.at('vip-mismatch'), ['10.0.0.11']);
  assert.equal(r.a.findings.filter((f) => f.code === 'duplicate-ip').length, 2); // reported on both clusters
});

test('out-of-pool, reserved-ip (gateway, network, excluded) and lb-range-overlap', () => {
  const base = pool('vips', '"10.0.0.0/24"', '  excludedAddresses: [10.0.0.100]\n');
  const kv = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kubevip\n  namespace: kube-system\ndata:\n  cidr-global: 10.0.0.200/29\n';
  const elsewhere = run({ p: base, c: cluster('a', '10.1.0.10') }).a.findings.filter((f) => f.uri === 'c');
  assert.deepEqual(
    elsewhere.map((f) => [f.code, f.severity, f.message]),
    [['out-of-pool', 'info', '10.1.0.10 is in no subnet of the 1 known IPv4 pools (GlobalInClusterIPPool vips): nothing reserves it.']],
  );
  const range = run({ p: pool('vips', '"10.0.0.10-10.0.0.50", 10.0.0.60'), c: cluster('a', '10.0.0.77') });
  const missed = range.a.findings.filter((f) => f.uri === 'c');
  assert.deepEqual(
    missed.map((f) => [f.code, f.severity, f.message]),
    [
      [
        'out-of-pool',
        'warning',
        '10.0.0.77 lies in the subnet 10.0.0.0/24 of GlobalInClusterIPPool vips but outside the addresses it hands out (10.0.0.10-10.0.0.50, 10.0.0.60): nothing reserves it.',
      ],
    ],
  );
  assert.deepEqual(range.at('out-of-pool'), ['10.0.0.77']);
  for (const ip of ['10.0.0.1', '10.0.0.0', '10.0.0.255', '10.0.0.100'])
    assert.deepEqual(run({ p: base, c: cluster('a', ip) }).codes('c'), ['reserved-ip'], ip);
  assert.match(run({ p: base, c: cluster('a', '10.0.0.1') }).a.findings[0]!.message, /the gateway of GlobalInClusterIPPool vips/);
  assert.deepEqual(run({ p: base, k: kv, c: cluster('a', '10.0.0.201') }).codes('c'), ['lb-range-overlap']);
  assert.deepEqual(run({ c: cluster('a', '10.1.0.10') }).codes('c'), [], 'no pools known: no out-of-pool');
});

test('invalid-ip only for values meant as IPs; DNS names and templates are fine', () => {
  assert.deepEqual(run({ c: cluster('a', '010.0.0.1') }).codes(), ['invalid-ip']);
  assert.deepEqual(run({ c: cluster('a', 'api.example.com') }).codes(), []);
  assert.deepEqual(run({ c: cluster('a', '${CONTROL_PLANE_ENDPOINT_IP}') }).codes(), ['missing-vip']);
  assert.deepEqual(run({ c: cluster('a', "'{{ .Values.vip }}'") }).codes(), ['missing-vip']);
  assert.deepEqual(run({ c: cluster('a', 'fd00::10') }).codes(), []);
  assert.deepEqual(run({ c: cluster('a', 'fd00::10::1') }).codes(), ['invalid-ip']);
});

test("ip-in-use: an IPAddress of another claim holds the VIP; the cluster's own claim does not", () => {
  const address = (claim: string, label = '') => `apiVersion: ipam.cluster.x-k8s.io/v1beta2
kind: IPAddress
metadata:
  name: ${claim}
  namespace: default
${label}spec:
  address: 10.0.0.10
  prefix: 24
  claimRef: {name: ${claim}}
  poolRef: {apiGroup: ipam.cluster.x-k8s.io, kind: GlobalInClusterIPPool, name: vips}
`;
  const other = run({
    p: pool('vips', '"10.0.0.10-10.0.0.50"'),
    c: cluster('a', '10.0.0.10'),
    x: address('b-vip', '  labels:\n    cluster.x-k8s.io/cluster-name: b\n'),
  });
  assert.deepEqual(other.codes('c'), ['ip-in-use']);
  assert.match(other.a.findings.find((f) => f.code === 'ip-in-use')!.message, /IPAddressClaim default\/b-vip of cluster b/);
  assert.deepEqual(run({ p: pool('vips', '"10.0.0.10-10.0.0.50"'), c: cluster('a', '10.0.0.10'), x: address('a-control-plane-vip') }).codes('c'), []);
  assert.deepEqual(
    run({
      p: pool('vips', '"10.0.0.10-10.0.0.50"'),
      c: cluster('a', '10.0.0.10'),
      x: address('whatever', '  labels:\n    cluster.x-k8s.io/cluster-name: a\n'),
    }).codes('c'),
    [],
  );
});

test('invalid-pool: webhook errors on the entry, overlapping pools, gateway outside the subnet', () => {
  const bad = run({ p: pool('vips', '10.0.0.5, "10.0.1.300"') });
  assert.deepEqual(bad.at('invalid-pool'), ['"10.0.1.300"'.slice(1, -1)]);
  assert.match(bad.a.findings[0]!.message, /provided address is not a valid IP, range, nor CIDR/);
  const overlap = run({ p: pool('a', '"10.0.0.10-10.0.0.20"') + pool('b', '"10.0.0.15-10.0.0.30"') });
  const msgs = overlap.a.findings.filter((f) => f.code === 'invalid-pool').map((f) => f.message);
  assert.equal(msgs.length, 2);
  assert.match(msgs[0]!, /overlaps GlobalInClusterIPPool b \(6 addresses, e\.g\. 10\.0\.0\.15-10\.0\.0\.20\)/);
  const ns = run({
    p:
      pool('a', '"10.0.0.10-10.0.0.20"', '', 'InClusterIPPool') +
      pool('b', '"10.0.0.10-10.0.0.20"', '', 'InClusterIPPool').replace('namespace: default', 'namespace: other'),
  });
  assert.deepEqual(ns.codes(), [], 'namespaced pools of different namespaces allocate independently');
  const gw = run({ p: pool('a', '"10.0.5.10-10.0.5.20"') });
  assert.match(gw.a.findings[0]!.message, /gateway 10\.0\.0\.1 is outside the pool's subnet 10\.0\.5\.0\/24/);
});

test('missing-vip on an empty endpoint host; yaml-syntax without crashing on garbage and huge input', () => {
  assert.deepEqual(run({ c: cluster('a', '""') }).codes(), ['missing-vip']);
  assert.equal(run({ c: cluster('a', '""') }).a.findings[0]!.severity, 'info', 'shown in Problems');
  assert.equal(run({ c: cluster('a', '${CONTROL_PLANE_ENDPOINT_IP}') }).a.findings[0]!.severity, 'hint', 'a template placeholder is only a hint');
  assert.deepEqual(run({ c: 'a: [\n' }).codes(), ['yaml-syntax']);
  assert.deepEqual(run({ c: '{{- if .Values.x }}\nfoo: {{ .Values.y }}\n{{- end }}\n' }).codes(), [], 'template markup is masked, not an error');
  const huge = 'x: 1\n'.repeat(1_000_000);
  assert.equal(run({ c: huge }).a.findings[0]?.severity, 'info');
});
