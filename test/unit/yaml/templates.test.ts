// Template markup is masked with stand-ins of the same length before parsing: what is left of a
// YAML error is real, positions stay exact, and templated values are never judged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskTemplates } from '../../../server/src/engine/yaml/templates';
import { Workspace } from '../../../server/src/engine/workspace';

function analyse(files: Record<string, string>) {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  const a = ws.analyze();
  const shown = a.findings.map((f) => ({ code: f.code, severity: f.severity, text: files[f.uri]!.slice(f.span.start, f.span.end), message: f.message }));
  return { a, shown };
}

const x = (s: string) => 'x'.repeat(s.length);

test('each syntax is replaced by a stand-in of its own length; $$ is an escaped dollar, not a variable', () => {
  const cases: [string, string][] = [
    ['host: ${CONTROL_PLANE_ENDPOINT_IP}', 'host: xxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['port: ${ PORT }', 'port: xxxxxxxxx'],
    ['port: ${PORT:=6443}', 'port: xxxxxxxxxxxxx'],
    ['iface: ${VIP_NETWORK_INTERFACE=""}', 'iface: xxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['keys: [${VM_SSH_KEYS}, ${ MORE }]', 'keys: [xxxxxxxxxxxxxx, xxxxxxxxx]'],
    ['cmd: echo $${HOME} $$', 'cmd: echo $${HOME} $$'],
    ['name: "{{ .Values.name }}-cp"', 'name: "xxxxxxxxxxxxxxxxxx-cp"'],
    ['name: {{- .Values.name -}}', 'name: xxxxxxxxxxxxxxxxxxxx'],
    ['a: 1\n  {{- if .Values.x }}\nb: 2\n{{- end }}\r\n', `a: 1\n${' '.repeat(21)}\nb: 2\n${' '.repeat(10)}\r\n`],
    ['{%- if vip %}\nhost: {{ vip }} {# the VIP #}\n{% endif %}', `${' '.repeat(13)}\nhost: xxxxxxxxx xxxxxxxxxxxxx\n${' '.repeat(11)}`],
    ['{{ if .A }}{{ .B }}\n', `${' '.repeat(19)}\n`],
    ['x: ${UNCLOSED\ny: {{ open', 'x: ${UNCLOSED\ny: {{ open'],
    // clusterctl's other defaults: `:-`, `-`, an empty one; a default spanning lines (its other lines are blanks).
    ['t: ${NODE_DRAIN_TIMEOUT:-"0s"}', `t: ${x('${NODE_DRAIN_TIMEOUT:-"0s"}')}`],
    ['t: ${TIMEOUT-0s} ${IFACE:""}', `t: ${x('${TIMEOUT-0s}')} ${x('${IFACE:""}')}`],
    ['c: ${POD_CIDR:=[\r\n  "10.0.0.0/8",\n  "fd00::/8"]}\nd: 1', `c: ${x('${POD_CIDR:=[')}\r\n${' '.repeat(15)}\n${' '.repeat(14)}\nd: 1`],
    // Without a default, `${` never spans lines.
    ['a: ${A\nb: }', 'a: ${A\nb: }'],
    // A variable alone on its line is a comment: nothing outside a scalar, text inside a block scalar.
    ['spec:\n  a: 1\n${EXTRA_CONFIG}\r\n  ${ MORE }\n', `spec:\n  a: 1\n#${x('{EXTRA_CONFIG}')}\r\n  #${x('{ MORE }')}\n`],
    // One expression alone on its line is a value (a comment stand-in, like a variable); an action is blanks.
    ['a:\n  {{ .Values.extra }}\n  {{- toYaml .x }}\n  {{ if .y }}\n', `a:\n  #${x('{ .Values.extra }}')}\n${' '.repeat(18)}\n${' '.repeat(13)}\n`],
    // Markup spanning a line break inside a quoted scalar: the continued line is blanks, the quote stays.
    ["enabledIf: '{{ if .ipv6 }}true{{ end\n  }}'", `enabledIf: '${x('{{ if .ipv6 }}')}true${x('{{ end')}\n    '`],
  ];
  for (const [input, masked] of cases) {
    const m = maskTemplates(input);
    assert.equal(m.text, masked, input);
    assert.equal(m.text.length, input.length);
  }
  assert.deepEqual(maskTemplates('a: ${X} $${Y} {{ z }}').regions, [
    { start: 3, end: 7 },
    { start: 14, end: 21 },
  ]);
});

const KCP = (body: string) => `apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: c1
  namespace: default
spec:
  kubeadmConfigSpec:
${body}`;

const INFRA = (host: string) => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata:
  name: c1
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ${host}
    port: \${CONTROL_PLANE_ENDPOINT_PORT:=6443}
`;

const POD_FILE = (address: string) => `    files:
    - content: |
        apiVersion: v1
        kind: Pod
        metadata:
          name: kube-vip
        spec:
          containers:
          - name: kube-vip
            image: ghcr.io/kube-vip/kube-vip:v0.6.4
            env:
            - name: address
              value: ${address}
      path: /etc/kubernetes/manifests/kube-vip.yaml
`;

test('a real indentation error next to {{ ds.meta_data.hostname }} is a yaml-syntax error at its place; the other documents are still checked', () => {
  const broken = KCP(`    preKubeadmCommands:
    - hostnamectl set-hostname "{{ ds.meta_data.hostname }}"
    users:
      - name: capv
     sshAuthorizedKeys: [\${VM_SSH_KEYS}]
`);
  const text = `${INFRA('10.0.0.5')}---\n${broken}---\n${KCP(POD_FILE('10.0.0.6')).replace('name: c1', 'name: c2')}`;
  const { a, shown } = analyse({ 'f.yaml': text });
  const syntax = shown.filter((f) => f.code === 'yaml-syntax');
  assert.equal(syntax.length, 1);
  assert.equal(syntax[0]!.severity, 'error');
  assert.match(syntax[0]!.message, /^YAML syntax error: /);
  // The finding sits at the start of the offending line, not on the template.
  const f = a.findings.find((x) => x.code === 'yaml-syntax')!;
  assert.equal(f.span.start, text.indexOf('     sshAuthorizedKeys: [${VM_SSH_KEYS}]'));
  assert.equal(syntax[0]!.message, 'YAML syntax error: All mapping items must start at the same column');
  // The other KCP still parses and is read (its own cluster c2 has a kube-vip place).
  assert.deepEqual(
    a.clusters.map((c) => [c.name, c.places.map((p) => p.value)]),
    [
      ['c1', ['10.0.0.5']],
      ['c2', ['10.0.0.6']],
    ],
  );
});

test('clusterctl variables in flow sequences, ${ VAR } and defaults parse; templated values give no finding but the missing-vip hint', () => {
  const kcp = KCP(`    users:
    - name: capv
      sshAuthorizedKeys: [\${VM_SSH_KEYS}, \${ OTHER_KEY }]
    clusterConfiguration:
      apiServer:
        certSANs: [\${EXTRA_SAN}, "10.0.\${X}.5"]
${POD_FILE('"${CONTROL_PLANE_ENDPOINT_IP}"')}`);
  const text = `${INFRA('${CONTROL_PLANE_ENDPOINT_IP}')}---\n${kcp}`;
  const { a, shown } = analyse({ 'f.yaml': text });
  assert.deepEqual(
    shown.map((f) => [f.code, f.severity, f.text, f.message]),
    [
      [
        'missing-vip',
        'hint',
        '${CONTROL_PLANE_ENDPOINT_IP}',
        'The control-plane VIP of cluster default/c1 is a placeholder (${CONTROL_PLANE_ENDPOINT_IP}) in VSphereCluster c1 .spec.controlPlaneEndpoint.host: it is filled in later, so it is not checked.',
      ],
    ],
  );
  const place = a.clusters[0]!.places.find((p) => p.role === 'kube-vip-address')!;
  assert.equal(place.value, '${CONTROL_PLANE_ENDPOINT_IP}');
  assert.equal(place.templated, true);
  assert.equal(text.slice(place.span.start, place.span.end), '${CONTROL_PLANE_ENDPOINT_IP}');
  assert.deepEqual(
    a.clusters[0]!.certSans!.items.map((s) => [s.value, s.templated]),
    [
      ['${EXTRA_SAN}', true],
      ['10.0.${X}.5', true],
    ],
  );
});

test('Helm and Jinja markup: directive lines, quoted and inline values; the values keep their original text', () => {
  const text = `{{- if .Values.enabled }}
${INFRA('{{ .Values.controlPlane.host }}').replace('name: c1', 'name: {{ include "name" . }}')}{{- end }}
---
{%- if vip %}
${KCP(POD_FILE('"{{ .Values.vip }}"')).replace('name: c1', 'name: {{ include "name" . }}')}{% endif %} {# end #}
`;
  const { a, shown } = analyse({ 'f.yaml': text });
  assert.deepEqual(
    shown.map((f) => [f.code, f.text]),
    [['missing-vip', '{{ .Values.controlPlane.host }}']],
  );
  const c = a.clusters[0]!;
  assert.equal(c.name, '{{ include "name" . }}');
  assert.deepEqual(
    c.places.map((p) => [p.role, p.value, text.slice(p.span.start, p.span.end)]),
    [
      ['infra-endpoint', '{{ .Values.controlPlane.host }}', '{{ .Values.controlPlane.host }}'],
      ['kube-vip-address', '{{ .Values.vip }}', '{{ .Values.vip }}'],
    ],
  );
});

test('a directive line inside a block scalar keeps the embedded manifest readable', () => {
  const pod = POD_FILE('10.0.0.7').replace(
    '            env:\n',
    '            env:\n{{- if .Values.arp }}\n            - name: vip_arp\n              value: "true"\n{{- end }}\n',
  );
  const text = `${INFRA('10.0.0.5')}---\n${KCP(pod)}`;
  const { shown } = analyse({ 'f.yaml': text });
  assert.deepEqual(
    shown.map((f) => [f.code, f.text]),
    [['vip-mismatch', '10.0.0.7']],
  );
});

test('pools with templated fields are not judged (no invalid-pool), and are not used to judge VIPs', () => {
  const pool = (name: string, spec: string) => `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: InClusterIPPool
metadata:
  name: ${name}
  namespace: default
spec:
${spec}---
`;
  const text =
    pool('secondary', '  addresses: ${SECONDARY_IP_RANGES}\n  prefix: ${SECONDARY_PREFIX:=24}\n  gateway: ${SECONDARY_GATEWAY}\n') +
    pool('nodes', '  addresses: ["${NODE_IP_START}-${NODE_IP_END}"]\n  prefix: 24\n  gateway: 10.0.0.1\n') +
    pool('broken', '  addresses: ["10.1.0.300"]\n  prefix: 24\n');
  const { a, shown } = analyse({ 'p.yaml': text });
  assert.deepEqual(
    a.inventory.pools.map((p) => p.name),
    ['broken'],
  );
  assert.deepEqual(
    shown.map((f) => [f.code, f.severity, f.text]),
    [['invalid-pool', 'error', '10.1.0.300']],
  );
});

test('clusterctl templates with every default form, a variable of several keys and markup across lines: no finding but the templated VIP hint', () => {
  const text = `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: m3
  namespace: default
spec:
  clusterNetwork:
    services:
      cidrBlocks: \${SERVICE_CIDR:=["10.96.0.0/12"]}
    pods:
      cidrBlocks: \${POD_CIDR:=[
        "192.168.0.0/18"]}
  infrastructureRef:
    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
    kind: Metal3Cluster
    name: m3
  controlPlaneRef:
    apiVersion: controlplane.cluster.x-k8s.io/v1beta1
    kind: KubeadmControlPlane
    name: m3
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: Metal3Cluster
metadata:
  name: m3
  namespace: default
spec:
  controlPlaneEndpoint:
    host: \${CLUSTER_APIENDPOINT_HOST}
    port: \${CLUSTER_APIENDPOINT_PORT:-6443}
---
${KCP(`    joinConfiguration:
      nodeRegistration:
        name: '{{ ds.meta_data.name }}'
    preKubeadmCommands:
    - echo \${GREETING:""} \${MOTD-none}
    - 'test {{ if .x }}1{{ else
        }}0{{ end }}'
\${CTLPLANE_KUBEADM_EXTRA_CONFIG}
    files:
    - path: /etc/keepalived/keepalived.conf
      content: |
        vrrp_instance VI_1 {
            virtual_ipaddress {
                \${CLUSTER_APIENDPOINT_HOST}
            }
        }
`).replace('name: c1', 'name: m3')}`;
  const { a, shown } = analyse({ 'f.yaml': text });
  assert.deepEqual(
    shown.map((f) => [f.code, f.severity, f.text]),
    [['missing-vip', 'hint', '\${CLUSTER_APIENDPOINT_HOST}']],
  );
  assert.deepEqual(
    a.clusters.map((c) => c.name),
    ['m3'],
  );
});

test('an alias to an anchor the document does not define is one yaml-syntax error at the alias', () => {
  const text = `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereMachineTemplate
metadata:
  name: c1
spec:
  template:
    spec:
      resourcePool: */Resources
      folder: *folder
---
${INFRA('10.0.0.5')}`;
  const { shown } = analyse({ 'f.yaml': text });
  assert.deepEqual(
    shown.map((f) => [f.code, f.severity, f.text, f.message]),
    [
      [
        'yaml-syntax',
        'error',
        '*/Resources',
        'YAML syntax error: unresolved alias */Resources: no anchor &/Resources is defined in this document (quote the value if it is text)',
      ],
    ],
  );
  // Quoted, it is text; a defined anchor resolves.
  const quoted = text.replace('*/Resources', "'*/Resources'").replace('folder: *folder', 'folder: &folder vm\n      other: *folder');
  assert.deepEqual(analyse({ 'f.yaml': quoted }).shown, []);
});
