// The VIP places of RKE2, k3s, Talos, keepalived and ClusterResourceSet kube-vip (issue 21): the
// allocation edit writes every place and certSAN, rewriting only the address's characters; hover and
// CodeLens say which mechanism holds the VIP where no kube-vip runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { hoverAt } from '../../../server/src/engine/features/hover';
import { clusterLenses } from '../../../server/src/engine/features/codeLens';
import { applyEdits, vipEdits } from '../../../server/src/engine/edits';
import { CORPUS, VIP, envsubst, occurrences, readCorpus } from '../../support/corpus';

const NEW = '10.20.30.77';

function analyse(text: string) {
  const ws = new Workspace();
  ws.setFile('t.yaml', text);
  return { ws, a: ws.analyze() };
}

/** The occurrences of the VIP that are certSANs (rewritten too); the others listed in the corpus are VIP places. */
const CERT_SANS: Record<string, number[]> = {
  'rke2-kube-vip.yaml': [2],
  'k3s-kube-vip.yaml': [1],
  'talos-vip.yaml': [2],
  'talos-layer2vip.yaml': [2],
};

for (const c of CORPUS.filter((x) => x.places.length > 0 && !x.file.startsWith('cap'))) {
  test(`${c.file}: the allocation edit writes every VIP place and certSAN, only the address's characters`, () => {
    const text = envsubst(readCorpus(c.file));
    const { a } = analyse(text);
    assert.equal(a.clusters.length, 1);
    // (A certSANs list the control plane lacks is created besides: see below.)
    const edits = vipEdits(a.clusters[0]!, NEW, { addCertSan: false });
    const at = occurrences(text, VIP);
    const written = [...c.places.map((p) => p.occurrence), ...(CERT_SANS[c.file] ?? [])].sort((x, y) => x - y);
    assert.deepEqual(
      edits.map((e) => [text.slice(e.span.start, e.span.end), e.newText, e.span.start]).sort((x, y) => (x[2] as number) - (y[2] as number)),
      written.map((k) => [VIP, NEW, at[k]]),
    );
    const next = applyEdits(new Map([['t.yaml', text]]), edits).get('t.yaml')!;
    const again = analyse(next).a;
    assert.deepEqual(
      again.clusters[0]!.places.map((p) => p.value),
      c.places.map(() => NEW),
    );
    assert.deepEqual(again.findings, []);
  });
}

const line = (text: string, needle: string) => text.split('\n').find((l) => l.includes(needle));

test('the rewritten text: a Talos JSON patch value, a strategic patch, the endpoint URL, an RKE2 files entry and a preRKE2Commands line', () => {
  const write = (file: string) => {
    const text = envsubst(readCorpus(file));
    return applyEdits(new Map([['t.yaml', text]]), vipEdits(analyse(text).a.clusters[0]!, NEW)).get('t.yaml')!;
  };
  const talos = write('talos-vip.yaml');
  assert.equal(line(talos, `ip: ${NEW}`), `              ip: ${NEW}`);
  assert.equal(line(talos, 'https://'), `        value: https://${NEW}:6443`);
  assert.equal(line(talos, `- "${NEW}"`), `        - "${NEW}"`);
  assert.equal(talos.split('\n').filter((l) => l.trim() === `ip: ${NEW}`).length, 2);
  assert.match(talos, new RegExp(`vlanId: 20\\n {20}dhcp: true\\n {20}vip:\\n {22}ip: ${NEW.replace(/\./g, '\\.')}\\n`));
  const l2 = write('talos-layer2vip.yaml');
  assert.equal(line(l2, 'kind: Layer2VIPConfig') !== undefined && line(l2, `name: ${NEW}`), `        name: ${NEW}`);
  const rke2 = write('rke2-kube-vip.yaml');
  assert.equal(line(rke2, 'registrationAddress'), `  registrationAddress: "${NEW}"`);
  assert.equal(line(rke2, `value: ${NEW}`), `                value: ${NEW}`);
  const command = write('rke2-kube-vip-command.yaml');
  assert.match(line(command, 'manifest daemonset')!, new RegExp(` --address ${NEW.replace(/\./g, '\\.')} --controlplane `));
  const keepalived = write('metal3-keepalived.yaml');
  assert.equal(line(keepalived, NEW), `    host: ${NEW}`);
  assert.equal(
    keepalived.split('\n').find((l) => l.trim() === NEW),
    `                ${NEW}`,
  );
  // The health check is no VIP place: it keeps the old address.
  assert.match(line(keepalived, 'healthz')!, new RegExp(`https://${VIP.replace(/\./g, '\\.')}:6443`));
});

test('hover and CodeLens say which mechanism holds the VIP where no kube-vip runs', () => {
  for (const [file, holder] of [
    ['talos-vip.yaml', "Talos' own VIP"],
    ['metal3-keepalived.yaml', 'keepalived'],
  ] as const) {
    const text = envsubst(readCorpus(file));
    const { a } = analyse(text);
    const hover = hoverAt(a, 't.yaml', text.indexOf(VIP) + 1)!;
    assert.equal(hover.markdown.split('\n\n')[2], `Held on the control-plane nodes by ${holder} (no kube-vip)`);
    assert.deepEqual(
      clusterLenses(a, 't.yaml', { live: false, defaultPool: '' }).map((l) => l.title),
      [`VIP ${VIP} · in no known pool · no claim · held by ${holder}`],
    );
  }
  // With kube-vip, nothing is added.
  const text = envsubst(readCorpus('k3s-kube-vip.yaml'));
  assert.deepEqual(
    clusterLenses(analyse(text).a, 't.yaml', { live: false, defaultPool: '' }).map((l) => l.title),
    [`VIP ${VIP} · in no known pool · no claim`],
  );
});

test('a ClusterResourceSet ships kube-vip only to the Clusters its selector matches, in its namespace', () => {
  const text = envsubst(readCorpus('harvester-crs-kube-vip.yaml'));
  const roles = (t: string) => analyse(t).a.clusters.map((c) => c.places.map((p) => p.role));
  assert.deepEqual(roles(text), [['cluster-endpoint', 'kube-vip-address']]);
  // Another label value, no selector, another namespace: not shipped.
  assert.deepEqual(roles(text.replace('    kube-vip: lab\nspec:', '    kube-vip: other\nspec:')), [['cluster-endpoint']]);
  assert.deepEqual(roles(text.replace('  clusterSelector:\n    matchLabels:\n      kube-vip: lab\n', '  clusterSelector: {}\n')), [['cluster-endpoint']]);
  const moved = text.replace(/(kind: ClusterResourceSet\nmetadata:\n  name: lab-kube-vip\n  namespace:) default/, '$1 other');
  assert.notEqual(moved, text);
  assert.deepEqual(roles(moved), [['cluster-endpoint']]);
  // A mismatching address in the shipped DaemonSet is found at its exact place.
  const wrong = text.replace(`              value: ${VIP}`, '              value: 10.20.30.41');
  const f = analyse(wrong).a.findings;
  assert.deepEqual(
    f.map((x) => [x.code, wrong.slice(x.span.start, x.span.end), x.span.start]),
    [['vip-mismatch', '10.20.30.41', wrong.indexOf('10.20.30.41')]],
  );
  assert.match(f[0]!.message, /ConfigMap lab-kube-vip, applied by ClusterResourceSet lab-kube-vip key kube-vip\.yaml/);
});

test('RKE2 registrationAddress is a VIP place only with registrationMethod address or control-plane-endpoint', () => {
  const text = envsubst(readCorpus('rke2-kube-vip.yaml'));
  const roles = (t: string) => analyse(t).a.clusters[0]!.places.map((p) => p.role);
  assert.deepEqual(roles(text), ['infra-endpoint', 'rke2-registration', 'kube-vip-address']);
  assert.deepEqual(roles(text.replace('registrationMethod: "address"', 'registrationMethod: internal-first')), ['infra-endpoint', 'kube-vip-address']);
});

test('an RKE2 control plane without tlsSan gets serverConfig.tlsSan with the VIP', () => {
  const text = envsubst(readCorpus('rke2-kube-vip-command.yaml'));
  const next = applyEdits(new Map([['t.yaml', text]]), vipEdits(analyse(text).a.clusters[0]!, NEW)).get('t.yaml')!;
  assert.match(next, new RegExp(`  serverConfig:\\n    cni: calico\\n    tlsSan:\\n      - ${NEW.replace(/\./g, '\\.')}\\n  machineTemplate:`));
  assert.deepEqual(
    analyse(next).a.clusters[0]!.certSans!.items.map((s) => s.value),
    [NEW],
  );
});

const TCP = (patches: string) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: t1
spec:
  controlPlaneRef:
    apiVersion: controlplane.cluster.x-k8s.io/v1alpha3
    kind: TalosControlPlane
    name: t1
---
apiVersion: controlplane.cluster.x-k8s.io/v1alpha3
kind: TalosControlPlane
metadata:
  name: t1
spec:
  controlPlaneConfig:
    controlplane:
      generateType: controlplane
${patches}`;

test('Talos JSON patches at every depth of the path: a scalar at .../vip/ip, an item appended with -, ~1 escapes; remove ops and other paths are not read', () => {
  const text = TCP(`      configPatches:
      - op: add
        path: /machine/network/interfaces/0/vip/ip
        value: 10.1.0.5
      - op: replace
        path: /machine/network/interfaces/1/vlans/0/vip
        value: {ip: 10.1.0.5}
      - op: add
        path: /machine/certSANs/-
        value: 10.1.0.5
      - op: add
        path: /cluster/apiServer/certSANs
        value: [10.1.0.9]
      - op: add
        path: /machine/network/interfaces/0/addresses/-
        value: 10.1.0.21/24
      - op: remove
        path: /machine/network/interfaces/0/vip/ip
        value: 10.1.0.99
      - op: add
        path: /machine/nodeLabels/example.com~1role
        value: cp
`);
  const { a } = analyse(text);
  const c = a.clusters[0]!;
  assert.deepEqual(
    c.places.map((p) => [p.role, p.value, text.slice(p.span.start, p.span.end)]),
    [
      ['talos-vip', '10.1.0.5', '10.1.0.5'],
      ['talos-vip', '10.1.0.5', '10.1.0.5'],
    ],
  );
  assert.deepEqual(
    c.certSans!.items.map((s) => s.value),
    ['10.1.0.5', '10.1.0.9'],
  );
  assert.deepEqual(a.findings, []);
  // The allocation edit: both VIPs; the certSAN of the old VIP replaced, the other kept.
  const next = applyEdits(new Map([['t.yaml', text]]), vipEdits(c, '10.1.0.7')).get('t.yaml')!;
  assert.equal(
    next,
    text
      .replace('vip/ip\n        value: 10.1.0.5', 'vip/ip\n        value: 10.1.0.7')
      .replace('{ip: 10.1.0.5}', '{ip: 10.1.0.7}')
      .replace('certSANs/-\n        value: 10.1.0.5', 'certSANs/-\n        value: 10.1.0.7'),
  );
  // A mismatch between the two is one finding, at the place that disagrees.
  const wrong = text.replace('{ip: 10.1.0.5}', '{ip: 10.1.0.6}');
  assert.deepEqual(
    analyse(wrong).a.findings.map((f) => [f.code, wrong.slice(f.span.start, f.span.end)]),
    [['vip-mismatch', '10.1.0.6']],
  );
});

test('kube-vip in a ClusterResourceSet Secret (base64 data) is read, and the edit re-encodes the value', () => {
  const manifest = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kube-vip
spec:
  template:
    spec:
      containers:
      - name: kube-vip
        image: ghcr.io/kube-vip/kube-vip:v0.8.9
        env:
        - name: address
          value: 10.2.0.5
`;
  const text = `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: s1
  labels:
    vip: kube-vip
spec:
  controlPlaneEndpoint:
    host: 10.2.0.5
---
apiVersion: addons.cluster.x-k8s.io/v1beta1
kind: ClusterResourceSet
metadata:
  name: kube-vip
spec:
  clusterSelector:
    matchLabels:
      vip: kube-vip
  resources:
  - kind: Secret
    name: kube-vip
---
apiVersion: v1
kind: Secret
metadata:
  name: kube-vip
type: addons.cluster.x-k8s.io/resource-set
data:
  kube-vip.yaml: ${Buffer.from(manifest).toString('base64')}
`;
  const { a } = analyse(text);
  assert.deepEqual(
    a.clusters[0]!.places.map((p) => [p.role, p.value, p.label]),
    [
      ['cluster-endpoint', '10.2.0.5', 'Cluster s1 .spec.controlPlaneEndpoint.host'],
      ['kube-vip-address', '10.2.0.5', 'kube-vip env address (Secret kube-vip, applied by ClusterResourceSet kube-vip key kube-vip.yaml (base64))'],
    ],
  );
  const next = applyEdits(new Map([['t.yaml', text]]), vipEdits(a.clusters[0]!, '10.2.0.6')).get('t.yaml')!;
  const encoded = /kube-vip\.yaml: (\S+)\n$/.exec(next)![1]!;
  assert.equal(Buffer.from(encoded, 'base64').toString(), manifest.replace('10.2.0.5', '10.2.0.6'));
  assert.match(next, /host: 10\.2\.0\.6\n/);
});

test('keepalived: several addresses and prefixes in virtual_ipaddress; an unclosed block ends at the next one: 5,000 of them are read in linear time', () => {
  const conf = (body: string) => `apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: k1
spec:
  kubeadmConfigSpec:
    files:
    - path: /etc/keepalived/keepalived.conf
      content: |
${body.replace(/^/gm, '        ')}
`;
  const text = conf(
    'vrrp_instance VI_1 {\n    virtual_ipaddress {\n        10.3.0.5/24 dev eth0 label eth0:vip\n        # a comment\n\n        {{ .Values.vip }}\n    }\n}',
  );
  assert.deepEqual(
    analyse(text).a.clusters[0]!.places.map((p) => [p.role, p.value, text.slice(p.span.start, p.span.end), p.templated]),
    [
      ['keepalived-vip', '10.3.0.5', '10.3.0.5', false],
      ['keepalived-vip', '{{ .Values.vip }}', '{{ .Values.vip }}', true],
    ],
  );
  const many = conf('virtual_ipaddress {\n    10.3.0.5\n'.repeat(5_000));
  const started = performance.now();
  assert.equal(analyse(many).a.clusters[0]!.places.length, 5_000);
  assert.ok(performance.now() - started < 5_000);
});

test('thousands of keepalived addresses that disagree: one finding each, each naming at most 10 related places', () => {
  const lines = Array.from({ length: 3_000 }, (_, i) => `    10.4.${i % 2}.${(i % 250) + 1}`).join('\n');
  const text = `apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: k2
spec:
  kubeadmConfigSpec:
    files:
    - path: /etc/keepalived/keepalived.conf
      content: |
        virtual_ipaddress {
${lines.replace(/^/gm, '        ')}
        }
`;
  const started = performance.now();
  const f = analyse(text).a.findings.filter((x) => x.code === 'vip-mismatch');
  assert.ok(f.length > 2_000);
  assert.ok(f.every((x) => (x.related?.length ?? 0) <= 10));
  assert.ok(performance.now() - started < 10_000);
});

test('Talos cluster.controlPlane.endpoint: the host of the URL, IPv6 in brackets, and an edit of only the host', () => {
  const text = TCP(`      configPatches:
      - op: add
        path: /cluster/controlPlane
        value:
          endpoint: https://[fd00::5]:6443
      - op: add
        path: /machine/network/interfaces
        value:
        - interface: eth0
          vip:
            ip: fd00::5
`);
  const { a } = analyse(text);
  const c = a.clusters[0]!;
  assert.deepEqual(
    c.places.map((p) => [p.role, text.slice(p.span.start, p.span.end)]),
    [
      ['talos-endpoint', 'fd00::5'],
      ['talos-vip', 'fd00::5'],
    ],
  );
  assert.deepEqual(a.findings, []);
  const next = applyEdits(new Map([['t.yaml', text]]), vipEdits(c, 'fd00::7')).get('t.yaml')!;
  assert.equal(next, text.replace('https://[fd00::5]:6443', 'https://[fd00::7]:6443').replace('ip: fd00::5', 'ip: fd00::7'));
});
