// The control planes users run, and where each keeps its VIP and its certSANs:
// - KubeadmControlPlane: `kubeadmConfigSpec.files` (a kube-vip static pod, keepalived.conf),
//   `preKubeadmCommands` (kube-vip generated on the node), clusterConfiguration's endpoint and certSANs;
// - RKE2ControlPlane: `files` (a kube-vip Pod or DaemonSet), `preRKE2Commands`, `registrationAddress`
//   (registrationMethod `address` / `control-plane-endpoint`), `serverConfig.tlsSan`;
// - KThreesControlPlane: `kthreesConfigSpec.files`, `preK3sCommands`, `serverConfig.tlsSan`;
// - TalosControlPlane: its machine-config patches (talos.ts).
import { isMap, isScalar } from 'yaml';
import { type Path, mapItems, nodeAt, scalarAt, seqAt, stringAt } from '../yaml/documents';
import { appendToSeq, insertIntoMap } from '../yaml/insert';
import { derive, hostPart, textSite, valueSite } from '../yaml/sites';
import { type SourceText, base64Source, scalarSource } from '../yaml/source';
import type { TextEdit } from '../types';
import { GROUPS, type K8sObject } from './kinds';
import { commandPlaces, kubeVipPlaces, looksLikeKubeVip } from './kubeVip';
import { keepalivedPlaces, looksLikeKeepalived } from './keepalived';
import { talosParts } from './talos';
import type { CertSanList, VipPlace } from './types';

interface Shape {
  files?: Path;
  commands?: Path;
  /** The certSANs list, and the mapping path it is created under when missing. */
  certSans?: Path;
}

const SHAPES: Record<string, Shape> = {
  KubeadmControlPlane: {
    files: ['spec', 'kubeadmConfigSpec', 'files'],
    commands: ['spec', 'kubeadmConfigSpec', 'preKubeadmCommands'],
    certSans: ['spec', 'kubeadmConfigSpec', 'clusterConfiguration', 'apiServer', 'certSANs'],
  },
  RKE2ControlPlane: { files: ['spec', 'files'], commands: ['spec', 'preRKE2Commands'], certSans: ['spec', 'serverConfig', 'tlsSan'] },
  KThreesControlPlane: {
    files: ['spec', 'kthreesConfigSpec', 'files'],
    commands: ['spec', 'kthreesConfigSpec', 'preK3sCommands'],
    certSans: ['spec', 'kthreesConfigSpec', 'serverConfig', 'tlsSan'],
  },
  TalosControlPlane: {},
};

/** A control plane of a kind we read (not its templates). */
export function isControlPlane(o: K8sObject): boolean {
  return o.group === GROUPS.controlPlane && Object.hasOwn(SHAPES, o.kind);
}

const key = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;

/** The Secrets a control plane's files name (`contentFrom.secret`). */
export function fileSecretNames(cp: K8sObject): string[] {
  const files = SHAPES[cp.kind]?.files;
  return files
    ? mapItems(seqAt(cp.root, files)).flatMap(({ map }) => {
        const name = stringAt(map, ['contentFrom', 'secret', 'name']);
        return name ? [name] : [];
      })
    : [];
}

/** What a file's content holds: kube-vip's manifest (also what a Secret's `stringData` holds by default), or keepalived's configuration. */
function contentPlaces(text: SourceText, path: string | undefined, where: string, key: object, kubeVipByDefault = false): VipPlace[] {
  const kubeVip = looksLikeKubeVip(path, text.text);
  if (!kubeVip && looksLikeKeepalived(path, text.text)) return keepalivedPlaces(text, where);
  return kubeVip || kubeVipByDefault ? kubeVipPlaces(text, where, key) : [];
}

function filePlaces(cp: K8sObject, files: Path, secrets: Map<string, K8sObject>): VipPlace[] {
  const places: VipPlace[] = [];
  for (const { index, map: file } of mapItems(seqAt(cp.root, files))) {
    const path = stringAt(file, ['path']);
    const where = `${cp.kind} ${cp.name} files[${index}]${path ? ' ' + path : ''}`;
    const content = file.get('content', true);
    if (isScalar(content) && typeof content.value === 'string') {
      const encoding = stringAt(file, ['encoding']);
      if (encoding === 'base64' || encoding === 'b64' || encoding === 'gzip+base64' || encoding === 'gz+b64') {
        const decoded = base64Source(cp.doc.source, content, encoding.startsWith('gz'));
        if (decoded) places.push(...contentPlaces(decoded, path, `${where} (${encoding})`, content));
      } else places.push(...contentPlaces(scalarSource(cp.doc.source, content), path, where, content));
      continue;
    }
    const secretName = stringAt(file, ['contentFrom', 'secret', 'name']);
    const secretKey = stringAt(file, ['contentFrom', 'secret', 'key']);
    if (!secretName || !secretKey) continue;
    const secret = secrets.get(key('Secret', cp.namespace, secretName));
    if (!secret) continue;
    const viaSecret = `Secret ${secretName} key ${secretKey}, used by ${where}`;
    const plain = scalarAt(secret.root, ['stringData', secretKey]);
    if (plain && typeof plain.value === 'string') {
      places.push(...contentPlaces(scalarSource(secret.doc.source, plain), path, viaSecret, plain, true));
      continue;
    }
    const encoded = scalarAt(secret.root, ['data', secretKey]);
    const decoded = encoded && base64Source(secret.doc.source, encoded);
    if (decoded) places.push(...contentPlaces(decoded, path, viaSecret + ' (base64)', encoded));
  }
  return places;
}

function commandsPlaces(cp: K8sObject, commands: Path): VipPlace[] {
  const name = String(commands[commands.length - 1]);
  return (seqAt(cp.root, commands)?.items ?? []).flatMap((n, i) =>
    isScalar(n) && typeof n.value === 'string' ? commandPlaces(scalarSource(cp.doc.source, n), `${cp.kind} ${cp.name} ${name}[${i}]`) : [],
  );
}

/** A certSANs list (present or not): its items, and an append that creates it under the deepest mapping that exists. */
export function certSanList(cp: K8sObject, path: Path): CertSanList {
  const source = cp.doc.source;
  const seq = seqAt(cp.root, path);
  const items = seq ? seq.items.flatMap((n, index) => (isScalar(n) && n.value !== null ? [derive(valueSite(source, n), { index })] : [])) : [];
  const append = (value: string): TextEdit[] => {
    if (seq) return appendToSeq(source, seq, value);
    for (let depth = path.length - 1; depth >= 1; depth--) {
      const parent = nodeAt(cp.root, path.slice(0, depth));
      if (isMap(parent) && nodeAt(cp.root, path.slice(0, depth + 1)) === undefined) return insertIntoMap(source, parent, path.slice(depth).map(String), value);
    }
    return [];
  };
  const remove = (index: number): TextEdit[] => {
    const node = seq?.items[index];
    if (!seq || !isScalar(node) || !node.range) return [];
    const text = source.text;
    const [start, end] = node.range;
    if (seq.flow) {
      // `[a, b]`: the item with the comma after it, or, for the last one, the comma before it.
      const next = seq.items[index + 1] as { range?: [number, number] } | undefined;
      const prev = seq.items[index - 1] as { range?: [number, number] } | undefined;
      if (next?.range) return source.replace(start, next.range[0], '');
      return prev?.range ? source.replace(prev.range[1], end, '') : source.replace(start, end, '');
    }
    // A block item: its whole line, when the line holds `- value` and at most a comment.
    const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1)) + 1;
    const rest = /^[^\S\r\n]*(#[^\r\n]*)?(\r\n|\r|\n|$)/.exec(text.slice(end));
    if (!/^\s*-\s+$/.test(text.slice(lineStart, start)) || !rest) return [];
    return source.replace(lineStart, end + rest[0].length, '');
  };
  return { items, append, remove };
}

const CLUSTER_CONFIG = ['spec', 'kubeadmConfigSpec', 'clusterConfiguration'];

function kcpEndpointPlace(kcp: K8sObject): VipPlace | undefined {
  const node = scalarAt(kcp.root, [...CLUSTER_CONFIG, 'controlPlaneEndpoint']);
  if (!node || node.value === null || node.value === undefined || node.value === '') return undefined;
  const text = scalarSource(kcp.doc.source, node);
  const { start, end } = hostPart(text.text);
  return derive(textSite(text, start, end), {
    role: 'kcp-endpoint' as const,
    label: `KubeadmControlPlane ${kcp.name} clusterConfiguration.controlPlaneEndpoint`,
  });
}

/** RKE2's registration address, when the method says nodes register through it. */
function registrationPlace(cp: K8sObject): VipPlace | undefined {
  const method = stringAt(cp.root, ['spec', 'registrationMethod']);
  const node = scalarAt(cp.root, ['spec', 'registrationAddress']);
  if (!node || (method !== 'address' && method !== 'control-plane-endpoint')) return undefined;
  return derive(valueSite(cp.doc.source, node), { role: 'rke2-registration' as const, label: `RKE2ControlPlane ${cp.name} .spec.registrationAddress` });
}

/** The VIP places and the certSANs of one control plane. */
export function controlPlaneParts(cp: K8sObject, secrets: Map<string, K8sObject>): { places: VipPlace[]; certSans?: CertSanList } {
  if (cp.kind === 'TalosControlPlane') return talosParts(cp);
  const shape = SHAPES[cp.kind]!;
  const places: VipPlace[] = [];
  const endpoint = cp.kind === 'KubeadmControlPlane' ? kcpEndpointPlace(cp) : registrationPlace(cp);
  if (endpoint) places.push(endpoint);
  if (shape.files) places.push(...filePlaces(cp, shape.files, secrets));
  if (shape.commands) places.push(...commandsPlaces(cp, shape.commands));
  return { places, certSans: shape.certSans && certSanList(cp, shape.certSans) };
}

/** Which mechanism holds the VIP where no kube-vip runs (hover, CodeLens): Talos' own VIP, keepalived. */
export function vipHolder(places: readonly VipPlace[]): string | undefined {
  if (places.some((p) => p.role === 'kube-vip-address' || p.role === 'kube-vip-vip_address')) return undefined;
  if (places.some((p) => p.role === 'talos-vip')) return "Talos' own VIP";
  if (places.some((p) => p.role === 'keepalived-vip')) return 'keepalived';
  return undefined;
}
