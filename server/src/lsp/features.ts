// The Analysis API's answers in LSP terms: offsets become ranges, engine Locations become wire
// locations, lens actions become the client's commands. Translation only: no feature logic here.
import { type CodeLens, type CompletionItem, CompletionItemKind, type Hover, MarkupKind } from 'vscode-languageserver';
import type {
  AddressBlock,
  AddressCompletion,
  AllocationView as Allocation,
  HoverHit,
  KubeVipRangeView as KubeVipRange,
  Lens,
  Location,
  PoolBlockView as PoolBlock,
  PoolView as Pool,
  ServiceView as Service,
} from '../engine/index';
import type { AllocationView, KubeVipRangeView, PoolBlockResult, PoolView, ServiceView, WireLocation } from '../protocol';
import type { Positions } from './positions';

export function toHover(hit: HoverHit, uri: string, positions: Positions): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: hit.markdown }, range: positions.range(uri, hit.span) };
}

export function toCompletion(x: AddressCompletion, uri: string, positions: Positions): CompletionItem {
  return {
    label: x.address,
    kind: CompletionItemKind.Value,
    detail: x.detail,
    sortText: x.sortText,
    filterText: x.address,
    textEdit: { range: positions.range(uri, x.span), newText: x.address },
  };
}

export function toCodeLens(l: Lens, uri: string, positions: Positions): CodeLens {
  const a = l.action;
  const command = !a
    ? { command: '', arguments: undefined }
    : 'release' in a
      ? { command: 'capiIpam.release', arguments: [a.release] }
      : { command: 'capiIpam.allocate', arguments: [a.allocate] };
  return { range: positions.range(uri, l.span), command: { title: l.title, ...command } };
}

export function wire(positions: Positions, at: Location | undefined): WireLocation | undefined {
  return at ? { uri: at.uri, range: positions.range(at.uri, at.span) } : undefined;
}

export function wirePool(p: Pool, positions: Positions): PoolView {
  const { allocationBlocks, ...rest } = p;
  return {
    ...rest,
    location: wire(positions, p.location),
    allocations: p.allocations.map((u) => wireAllocation(u, positions)),
    ...(allocationBlocks && { allocationBlocks: allocationBlocks.map((b) => wireBlock(b, positions)) }),
  };
}

export function wirePoolBlock(b: PoolBlock, positions: Positions): PoolBlockResult {
  return b.blocks ? { blocks: b.blocks.map((x) => wireBlock(x, positions)) } : { allocations: (b.allocations ?? []).map((u) => wireAllocation(u, positions)) };
}

function wireAllocation(u: Allocation, positions: Positions): AllocationView {
  return { ...u, location: wire(positions, u.location) };
}

function wireBlock(b: AddressBlock<Allocation>, positions: Positions): AddressBlock<AllocationView> {
  const { blocks, items, ...rest } = b;
  return {
    ...rest,
    ...(blocks && { blocks: blocks.map((x) => wireBlock(x, positions)) }),
    ...(items && { items: items.map((u) => wireAllocation(u, positions)) }),
  };
}

export function wireService(s: Service, positions: Positions): ServiceView {
  return { ...s, location: wire(positions, s.location) };
}

export function wireKubeVipRange(r: KubeVipRange, positions: Positions): KubeVipRangeView {
  return { ...r, location: wire(positions, r.location) };
}
