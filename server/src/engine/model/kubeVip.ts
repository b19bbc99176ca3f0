// The kube-vip static pod, wherever its manifest is written: a KCP file's `content`, a Secret
// behind `contentFrom.secret`, or a ClusterClass topology variable. Its env `address`/`vip_address`
// are VIP places; positions map back to the outer file through the SourceText layers.
import { type Scalar, isScalar } from 'yaml';
import { mapItems, parseDocuments, parseEmbedded, seqAt, stringAt } from '../yaml/documents';
import { derive, textSite, valueSite } from '../yaml/sites';
import { type SourceText, scalarSource } from '../yaml/source';
import type { KubeVipContainer, ValueSite, VipPlace } from './types';

const ENV_ROLES = { address: 'kube-vip-address', vip_address: 'kube-vip-vip_address' } as const;

export function looksLikeKubeVip(path: string | undefined, content: string): boolean {
  return (path !== undefined && /kube-vip[^/]*\.ya?ml$/.test(path)) || /image:\s*["']?[^\s"']*kube-vip/.test(content);
}

/** VIP places of every kube-vip container in the manifest text. */
export function kubeVipPlaces(text: SourceText, where: string, key?: object): VipPlace[] {
  const places: VipPlace[] = [];
  for (const doc of key ? parseEmbedded(key, () => text) : parseDocuments(text)) {
    if (!doc.root) continue;
    // A static Pod, or a DaemonSet (RKE2's and k3s' manifests folder, a ClusterResourceSet).
    const containers = mapItems(seqAt(doc.root, ['spec', 'containers']) ?? seqAt(doc.root, ['spec', 'template', 'spec', 'containers']));
    for (const { map: c } of containers) {
      const image = stringAt(c, ['image']) ?? '';
      if (!/kube-vip/.test(image) && stringAt(c, ['name']) !== 'kube-vip') continue;
      const env = mapItems(seqAt(c, ['env']));
      const found: VipPlace[] = [];
      const container: KubeVipContainer = { image: imageSite(doc.source, c.get('image', true)), env: [] };
      for (const { map: e } of env) {
        const name = stringAt(e, ['name']);
        const nameNode = e.get('name', true);
        if (name !== undefined && isScalar(nameNode)) container.env.push({ name, at: valueSite(doc.source, nameNode) });
        if (name !== 'address' && name !== 'vip_address') continue;
        const valueNode = e.get('value', true);
        if (!isScalar(valueNode)) continue;
        const site = valueSite(doc.source, valueNode);
        const label = `kube-vip env ${name} (${where})`;
        // Dual-stack: `address: "10.0.0.10,fd00::10"` is two VIPs.
        if (site.value.includes(',') && !site.templated) {
          let offset = 0;
          for (const part of site.value.split(',')) {
            found.push(derive(subSite(doc.source, valueNode, offset, part.length), { role: ENV_ROLES[name] as VipPlace['role'], label }));
            offset += part.length + 1;
          }
          continue;
        }
        found.push(derive(site, { role: ENV_ROLES[name] as VipPlace['role'], label }));
      }
      const hasAddress = found.some((p) => p.role === 'kube-vip-address' && p.value !== '');
      for (const p of found) if (p.role === 'kube-vip-vip_address' && hasAddress) p.shadowed = true;
      for (const p of found) p.kubeVip = container;
      places.push(...found);
    }
  }
  return places;
}

function imageSite(source: SourceText, node: unknown): ValueSite | undefined {
  return isScalar(node) && typeof node.value === 'string' ? valueSite(source, node) : undefined;
}

function subSite(docSource: SourceText, node: Scalar, start: number, length: number) {
  const inner = scalarSource(docSource, node);
  return textSite(inner, start, start + length);
}

const KUBE_VIP_COMMAND = /kube-vip\b[\s\S]*?\bmanifest\s+(pod|daemonset)\b/;
const FLAG = /(?:^|\s)--(address|vip)(?:=|\s+)(["']?)([^\s"';|&>)]+)\2/g;

/**
 * kube-vip's manifest generated on the node from `preKubeadmCommands` (as Tinkerbell does:
 * `… kube-vip manifest pod --address ${CONTROL_PLANE_VIP} … > /etc/kubernetes/manifests/kube-vip.yaml`):
 * the `--address` (or legacy `--vip`) argument is a VIP place.
 */
export function commandPlaces(text: SourceText, where: string): VipPlace[] {
  if (!KUBE_VIP_COMMAND.test(text.text)) return [];
  const places: VipPlace[] = [];
  for (const m of text.text.matchAll(FLAG)) {
    const start = m.index! + m[0].length - m[3]!.length - m[2]!.length;
    const name = m[1] === 'address' ? 'address' : 'vip_address';
    places.push(derive(textSite(text, start, start + m[3]!.length), { role: ENV_ROLES[name] as VipPlace['role'], label: `kube-vip --${m[1]} (${where})` }));
  }
  const hasAddress = places.some((p) => p.role === 'kube-vip-address');
  for (const p of places) if (p.role === 'kube-vip-vip_address' && hasAddress) p.shadowed = true;
  return places;
}
