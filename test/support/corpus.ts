// The provider-template corpus (test/fixtures/corpus): which occurrences of the VIP variable are VIP
// places, and the values clusterctl would substitute.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lspClient';

export const CORPUS_DIR = join(ROOT, 'test', 'fixtures', 'corpus');

export type Role = 'cluster-endpoint' | 'infra-endpoint' | 'topology-variable' | 'kube-vip-address';

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
    // The secondary NIC's pool is another network's, but the ProxmoxCluster's ipv4Config node range
    // covers the VIP's subnet: a VIP outside a node range is where it belongs, so nothing is said.
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
};

/** clusterctl's substitution: `${VAR}`, `${ VAR }`, `${VAR:=default}`, `${VAR=default}`; `$$` is a `$`. */
export function envsubst(text: string, vars: Record<string, string> = VARS): string {
  return text.replace(/\$\$|\$\{\s*([A-Za-z_]\w*)\s*(?::?=([^}]*))?\}/g, (all, name: string | undefined, fallback: string | undefined) => {
    if (!name) return '$';
    const v = vars[name] ?? fallback;
    if (v === undefined) throw new Error(`no value for ${all}`);
    return v;
  });
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
