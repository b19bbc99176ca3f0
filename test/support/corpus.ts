// The provider-template corpus (test/fixtures/corpus): which occurrences of the VIP variable are VIP
// places, and the values clusterctl would substitute.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lspClient';

export const CORPUS_DIR = join(ROOT, 'test', 'fixtures', 'corpus');

export type Role =
  'cluster-endpoint' | 'infra-endpoint' | 'topology-variable' | 'kube-vip-address' | 'rke2-registration' | 'talos-vip' | 'talos-endpoint' | 'keepalived-vip';

export interface CorpusFile {
  file: string;
  /** The variable holding the VIP. */
  variable: string;
  /** VIP places, as the index of the variable's occurrence in the file (others are not VIP places). */
  places: { occurrence: number; role: Role }[];
  /** Substituted, the only pool is a secondary NIC's on another subnet: out-of-pool information on each place. */
  foreignPool?: boolean;
}

export const CORPUS: CorpusFile[] = [
  {
    file: 'capv-kube-vip.yaml',
    variable: 'CONTROL_PLANE_ENDPOINT_IP',
    places: [
      { occurrence: 0, role: 'infra-endpoint' },
      { occurrence: 1, role: 'kube-vip-address' },
    ],
  },
  {
    file: 'capv-v1beta2.yaml',
    variable: 'CONTROL_PLANE_ENDPOINT_IP',
    places: [
      { occurrence: 0, role: 'infra-endpoint' },
      { occurrence: 1, role: 'kube-vip-address' },
    ],
  },
  {
    file: 'capmox-multiple-vlans.yaml',
    variable: 'CONTROL_PLANE_ENDPOINT_IP',
    places: [
      { occurrence: 0, role: 'infra-endpoint' },
      { occurrence: 1, role: 'kube-vip-address' },
    ],
    foreignPool: true,
  },
  { file: 'capmox-clusterclass.yaml', variable: 'CONTROL_PLANE_ENDPOINT_IP', places: [{ occurrence: 0, role: 'topology-variable' }] },
  {
    file: 'capx-kube-vip.yaml',
    variable: 'CONTROL_PLANE_ENDPOINT_IP',
    places: [
      { occurrence: 1, role: 'infra-endpoint' },
      { occurrence: 2, role: 'kube-vip-address' },
    ],
  },
  { file: 'capx-clusterclass.yaml', variable: 'CONTROL_PLANE_ENDPOINT_IP', places: [{ occurrence: 0, role: 'topology-variable' }] },
  {
    file: 'capt-kube-vip-command.yaml',
    variable: 'CONTROL_PLANE_VIP',
    places: [
      { occurrence: 0, role: 'kube-vip-address' },
      { occurrence: 1, role: 'cluster-endpoint' },
    ],
  },
  {
    file: 'rke2-kube-vip.yaml',
    variable: 'CONTROL_PLANE_ENDPOINT_IP',
    // (occurrence 2 is serverConfig.tlsSan: a certSAN)
    places: [
      { occurrence: 0, role: 'infra-endpoint' },
      { occurrence: 1, role: 'rke2-registration' },
      { occurrence: 3, role: 'kube-vip-address' },
    ],
  },
  {
    file: 'rke2-kube-vip-command.yaml',
    variable: 'REGISTRATION_VIP',
    places: [
      { occurrence: 0, role: 'rke2-registration' },
      { occurrence: 1, role: 'kube-vip-address' },
    ],
  },
  {
    file: 'k3s-kube-vip.yaml',
    variable: 'CONTROL_PLANE_ENDPOINT_IP',
    // (occurrence 1 is serverConfig.tlsSan)
    places: [
      { occurrence: 0, role: 'infra-endpoint' },
      { occurrence: 2, role: 'kube-vip-address' },
    ],
  },
  {
    file: 'talos-vip.yaml',
    variable: 'CONTROL_PLANE_ENDPOINT_IP',
    // (occurrence 2 is machine.certSANs)
    places: [
      { occurrence: 0, role: 'infra-endpoint' },
      { occurrence: 1, role: 'talos-vip' },
      { occurrence: 3, role: 'talos-endpoint' },
      { occurrence: 4, role: 'talos-vip' },
    ],
  },
  {
    file: 'talos-layer2vip.yaml',
    variable: 'CONTROL_PLANE_ENDPOINT_IP',
    // (occurrence 2 is cluster.apiServer.certSANs)
    places: [
      { occurrence: 0, role: 'cluster-endpoint' },
      { occurrence: 1, role: 'infra-endpoint' },
      { occurrence: 3, role: 'talos-vip' },
    ],
  },
  {
    file: 'metal3-keepalived.yaml',
    variable: 'CLUSTER_APIENDPOINT_HOST',
    // (occurrence 2 is a health check in preKubeadmCommands)
    places: [
      { occurrence: 0, role: 'infra-endpoint' },
      { occurrence: 1, role: 'keepalived-vip' },
    ],
  },
  {
    file: 'harvester-crs-kube-vip.yaml',
    variable: 'CONTROL_PLANE_ENDPOINT_IP',
    places: [
      { occurrence: 0, role: 'cluster-endpoint' },
      { occurrence: 1, role: 'kube-vip-address' },
    ],
  },
  { file: 'capmox-clusterclass-cilium.yaml', variable: 'CONTROL_PLANE_ENDPOINT_IP', places: [] },
  { file: 'capmox-topology.yaml', variable: 'CONTROL_PLANE_ENDPOINT_IP', places: [{ occurrence: 0, role: 'topology-variable' }] },
];

export const VIP = '10.20.30.40';

export const VARS: Record<string, string> = {
  CLUSTER_NAME: 'lab',
  NAMESPACE: 'default',
  KUBERNETES_VERSION: 'v1.30.2',
  CONTROL_PLANE_MACHINE_COUNT: '3',
  CONTROL_PLANE_ENDPOINT_IP: VIP,
  CONTROL_PLANE_VIP: VIP,
  VSPHERE_SERVER: 'vcenter.lab.local',
  VSPHERE_TLS_THUMBPRINT: 'AA:BB:CC',
  VSPHERE_SSH_AUTHORIZED_KEY: 'ssh-ed25519 AAAAC3Nz lab@example',
  NODE_IP_RANGES: '[10.20.30.50-10.20.30.60]',
  IP_PREFIX: '24',
  GATEWAY: '10.20.30.1',
  DNS_SERVERS: '[10.20.30.2]',
  SECONDARY_IP_RANGES: '["10.99.0.10-10.99.0.20"]',
  SECONDARY_IP_PREFIX: '24',
  SECONDARY_GATEWAY: '10.99.0.1',
  VM_SSH_KEYS: '"ssh-ed25519 AAAAC3Nz lab@example"',
  PROXMOX_SOURCENODE: 'pve1',
  TEMPLATE_VMID: '100',
  BRIDGE: 'vmbr0',
  SECONDARY_BRIDGE: 'vmbr1',
  NUTANIX_ENDPOINT: 'pc.lab.local',
  NUTANIX_SSH_AUTHORIZED_KEY: 'ssh-ed25519 AAAAC3Nz lab@example',
  REGISTRATION_VIP: VIP,
  CLUSTER_APIENDPOINT_HOST: VIP,
  VSPHERE_DATACENTER: 'dc1',
  VSPHERE_DATASTORE: 'ds1',
  VSPHERE_FOLDER: 'vms',
  VSPHERE_NETWORK: 'VM Network',
  VSPHERE_TEMPLATE: 'ubuntu-2404',
  TALOS_VERSION: 'v1.9',
  CONTROL_PLANE_SERVERCLASS: 'control-plane',
  IMAGE_URL: 'http://images.lab.local/ubuntu.raw',
  IMAGE_CHECKSUM: 'http://images.lab.local/ubuntu.raw.sha256sum',
  WORKERS_KUBEADM_EXTRA_CONFIG: '',
  HARVESTER_ENDPOINT: 'https://harvester.lab.local',
  HARVESTER_KUBECONFIG_B64: 'YXBpVmVyc2lvbjogdjEK',
  SSH_KEYPAIR: 'default/lab',
  VM_NETWORK: 'default/vlan20',
  VM_IMAGE_NAME: 'default/ubuntu-2404',
  WORKER_MACHINE_COUNT: '2',
};

/**
 * clusterctl's substitution: `${VAR}`, `${ VAR }`, and a default when VAR is unset — `${VAR:=d}`,
 * `${VAR=d}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:d}` — that may span lines and hold variables itself;
 * `$$` is a `$`.
 */
export function envsubst(text: string, vars: Record<string, string> = VARS): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('$', i);
    if (at < 0) break;
    out += text.slice(i, at);
    if (text[at + 1] === '$') {
      out += '$';
      i = at + 2;
      continue;
    }
    const m = /^\$\{\s*([A-Za-z_]\w*)\s*(:?[=-]|:)?/.exec(text.slice(at, at + 200));
    if (!m) {
      out += '$';
      i = at + 1;
      continue;
    }
    // The matching `}`: defaults may hold variables.
    let depth = 0;
    let end = at;
    for (; end < text.length; end++) {
      if (text[end] === '$' && text[end + 1] === '{') (depth++, end++);
      else if (text[end] === '}' && --depth === 0) break;
    }
    const name = m[1]!;
    const fallback = m[2] ? envsubst(text.slice(at + m[0].length, end), vars) : undefined;
    const value = vars[name] ?? fallback;
    if (value === undefined) throw new Error(`no value for ${text.slice(at, end + 1)}`);
    out += value;
    i = end + 1;
  }
  return out + text.slice(i);
}

export function readCorpus(file: string): string {
  return readFileSync(join(CORPUS_DIR, file), 'utf8');
}

/** Offsets of every occurrence of `token` in `text`. */
export function occurrences(text: string, token: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + token.length)) out.push(i);
  return out;
}
