// TalosControlPlane: Talos holds the VIP itself (no kube-vip). It is written in the machine-config
// patches of `spec.controlPlaneConfig.{controlplane,init}`: RFC 6902 `configPatches` ({op, path,
// value}) and `strategicPatches` (strings holding machine-config YAML, also multi-document with
// Talos ≥ 1.12's `Layer2VIPConfig`). A patch's value is read at the machine-config path it lands on.
import { type Node, type YAMLSeq, isMap, isScalar, isSeq } from 'yaml';
import { mapItems, parseEmbedded, seqAt, stringAt } from '../yaml/documents';
import { appendToSeq } from '../yaml/insert';
import { derive, hostPart, textSite, valueSite } from '../yaml/sites';
import { type SourceText, scalarSource } from '../yaml/source';
import type { K8sObject } from './kinds';
import type { CertSanList, CertSanSite, VipPlace } from './types';

const VIP = /^machine\.network\.interfaces\.\*\.(?:vlans\.\*\.)?vip\.ip$/;
const ENDPOINT = 'cluster.controlPlane.endpoint';
const SANS = /^(?:machine|cluster\.apiServer)\.certSANs$/;
/** Talos' VIP documents: the VIP is the document's `name`. */
const VIP_DOCUMENTS = new Set(['Layer2VIPConfig', 'HCloudVIPConfig']);

interface Found {
  places: VipPlace[];
  sans: CertSanSite[];
  lists: { source: SourceText; seq: YAMLSeq }[];
}

/** `/machine/network/interfaces/0/vip` → machine.network.interfaces.*.vip (`-` and indexes are items). */
function patchPath(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((s) => (/^(\d+|-)$/.test(s) ? '*' : s.replace(/~1/g, '/').replace(/~0/g, '~')));
}

function walk(source: SourceText, node: Node | null | undefined, path: string[], where: string, out: Found): void {
  const at = path.join('.');
  if (isScalar(node)) {
    if (node.value === null || node.value === undefined || typeof node.value === 'object') return;
    if (VIP.test(at)) out.places.push(derive(valueSite(source, node), { role: 'talos-vip' as const, label: `Talos VIP ${at} (${where})` }));
    else if (at === ENDPOINT) {
      const place = endpointPlace(source, node, where);
      if (place) out.places.push(place);
    } else if (SANS.test(path.slice(0, -1).join('.')) && path[path.length - 1] === '*')
      out.sans.push(derive(valueSite(source, node), { index: out.sans.length }));
    return;
  }
  if (isMap(node)) {
    for (const pair of node.items) if (isScalar(pair.key)) walk(source, pair.value as Node, [...path, String(pair.key.value)], where, out);
  } else if (isSeq(node)) {
    if (SANS.test(at)) out.lists.push({ source, seq: node });
    for (const item of node.items) walk(source, item as Node, [...path, '*'], where, out);
  }
}

/** The host of `https://host:port` (the URL's authority). */
function endpointPlace(source: SourceText, node: Parameters<typeof valueSite>[1], where: string): VipPlace | undefined {
  const text = scalarSource(source, node);
  const scheme = /^[A-Za-z][\w+.-]*:\/\//.exec(text.text)?.[0].length ?? 0;
  const rest = text.text.slice(scheme);
  const authority = rest.slice(0, rest.search(/[/?#]|$/));
  if (authority === '') return undefined;
  const { start, end } = hostPart(authority);
  return derive(textSite(text, scheme + start, scheme + end), { role: 'talos-endpoint' as const, label: `Talos ${ENDPOINT} (${where})` });
}

/** VIP places and certSANs of a TalosControlPlane's machine-config patches. */
export function talosParts(tcp: K8sObject): { places: VipPlace[]; certSans?: CertSanList } {
  const out: Found = { places: [], sans: [], lists: [] };
  const source = tcp.doc.source;
  for (const role of ['controlplane', 'init']) {
    const spec = ['spec', 'controlPlaneConfig', role];
    for (const { index, map: patch } of mapItems(seqAt(tcp.root, [...spec, 'configPatches']))) {
      const op = stringAt(patch, ['op']);
      const path = stringAt(patch, ['path']);
      if ((op !== 'add' && op !== 'replace') || !path) continue;
      walk(source, patch.get('value', true) as Node, patchPath(path), `TalosControlPlane ${tcp.name} ${role} configPatches[${index}] ${path}`, out);
    }
    seqAt(tcp.root, [...spec, 'strategicPatches'])?.items.forEach((node, index) => {
      if (!isScalar(node) || typeof node.value !== 'string') return;
      const where = `TalosControlPlane ${tcp.name} ${role} strategicPatches[${index}]`;
      for (const doc of parseEmbedded(node, () => scalarSource(source, node))) {
        if (doc.errors.length || !doc.root) continue;
        const kind = stringAt(doc.root, ['kind']);
        if (kind && VIP_DOCUMENTS.has(kind)) {
          const name = doc.root.get('name', true);
          if (isScalar(name) && name.value !== null)
            out.places.push(derive(valueSite(doc.source, name), { role: 'talos-vip' as const, label: `Talos ${kind} name (${where})` }));
        } else walk(doc.source, doc.root, [], where, out);
      }
    });
  }
  const first = out.lists[0];
  // The VIP is added to a certSANs list a patch already writes (a patch of its own would be a guess).
  const certSans =
    out.sans.length || first
      ? {
          items: out.sans,
          append: (value: string) => (first ? appendToSeq(first.source, first.seq, value) : []),
          remove: () => [], // an item of a patch inside a string: not removed by a guess
        }
      : undefined;
  return { places: out.places, certSans };
}
