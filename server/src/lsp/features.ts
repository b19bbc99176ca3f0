// The Analysis API's answers in LSP terms: offsets become ranges, engine Locations become wire
// locations, lens actions become the client's commands. Translation only: no feature logic here.
import { type CodeLens, type CompletionItem, CompletionItemKind, type Hover, MarkupKind } from 'vscode-languageserver';
import type { AddressCompletion, HoverHit, KubeVipRangeView as KubeVipRange, Lens, Location, PoolView as Pool, ServiceView as Service } from '../engine/index';
import type { KubeVipRangeView, PoolView, ServiceView, WireLocation } from '../protocol';
import type { Positions } from './positions';

export function toHover(hit: HoverHit, uri: string, positions: Positions): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: hit.markdown }, range: positions.range(uri, hit.span) };
}

export function toCompletion(x: AddressCompletion, uri: string, positions: Positions): CompletionItem {
  return {
    label: x.address, kind: CompletionItemKind.Value, detail: x.detail, sortText: x.sortText, filterText: x.address,
    textEdit: { range: positions.range(uri, x.span), newText: x.address },
  };
}

export function toCodeLens(l: Lens, uri: string, positions: Positions): CodeLens {
  const a = l.action;
  const command = !a ? { command: '', arguments: undefined } : 'release' in a ? { command: 'capiIpam.release', arguments: [a.release] } : { command: 'capiIpam.allocate', arguments: [a.allocate] };
  return { range: positions.range(uri, l.span), command: { title: l.title, ...command } };
}

export function wire(positions: Positions, at: Location | undefined): WireLocation | undefined {
  return at ? { uri: at.uri, range: positions.range(at.uri, at.span) } : undefined;
}

export function wirePool(p: Pool, positions: Positions): PoolView {
  return { ...p, location: wire(positions, p.location), allocations: p.allocations.map((u) => ({ ...u, location: wire(positions, u.location) })) };
}

export function wireService(s: Service, positions: Positions): ServiceView {
  return { ...s, location: wire(positions, s.location) };
}

export function wireKubeVipRange(r: KubeVipRange, positions: Positions): KubeVipRangeView {
  return { ...r, location: wire(positions, r.location) };
}
