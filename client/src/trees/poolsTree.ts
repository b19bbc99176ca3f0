// The Pools view: one node per InClusterIPPool/GlobalInClusterIPPool with its usage, and below it
// the allocated addresses, the free ranges and the reserved addresses.
import * as vscode from 'vscode';
import type { AddressBlock, AllocationView, ClaimRef, PoolView } from '../../../server/src/protocol';
import type { IpamServer } from '../ipamServer';
import type { CommandTarget } from './commandTarget';
import { ServerTree } from './serverTree';
import { poolDescription } from './usageBar';
import { toLocation } from '../wire';
import { escapeCode } from '../../../server/src/protocol';

type Section = 'warnings' | 'allocated' | 'free' | 'reserved';
type Reserved = PoolView['reserved'][number];

export type PoolNode =
  | ({ type: 'pool'; pool: PoolView } & CommandTarget)
  | ({ type: 'section'; pool: PoolView; section: Section } & CommandTarget)
  | ({ type: 'warning'; pool: PoolView; message: string } & CommandTarget)
  | ({ type: 'block'; pool: PoolView; block: AddressBlock<AllocationView> } & CommandTarget)
  | ({ type: 'allocation'; pool: PoolView; allocation: AllocationView } & CommandTarget)
  | ({ type: 'freeRange'; pool: PoolView; range: string } & CommandTarget)
  | ({ type: 'reserved'; pool: PoolView; reserved: Reserved } & CommandTarget);

export class PoolsTree extends ServerTree<PoolNode> {
  constructor(private readonly server: IpamServer) {
    super('capiIpam.pools');
  }

  protected async fetchRoots(): Promise<PoolNode[]> {
    const pools = await this.server.pools();
    return pools.map((pool) => ({ type: 'pool', pool, poolId: pool.id, location: pool.location }));
  }

  protected childrenOf(node: PoolNode): PoolNode[] | Promise<PoolNode[]> {
    const { pool } = node;
    switch (node.type) {
      case 'pool': {
        const sections: Section[] = [];
        if (pool.warnings.length > 0) sections.push('warnings');
        sections.push('allocated', 'free');
        if (pool.reserved.length > 0) sections.push('reserved');
        return sections.map((section) => ({ type: 'section', pool, section, poolId: pool.id }));
      }
      case 'section':
        return sectionChildren(pool, node.section);
      case 'block':
        return this.blockChildren(pool, node.block);
      default:
        return [];
    }
  }

  getTreeItem(node: PoolNode): vscode.TreeItem {
    switch (node.type) {
      case 'pool':
        return poolItem(node.pool, this.stale);
      case 'section':
        return sectionItem(node.pool, node.section);
      case 'warning': {
        const item = new vscode.TreeItem(node.message);
        item.id = `${node.pool.id}#warning:${node.message}`;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.tooltip = node.message;
        item.contextValue = 'capiIpam.poolWarning';
        return item;
      }
      case 'block': {
        const item = new vscode.TreeItem(node.block.block, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.pool.id}#block:${node.block.block}`;
        item.description = `${node.block.count} used`;
        item.iconPath = new vscode.ThemeIcon('folder');
        item.contextValue = 'capiIpam.allocationBlock';
        return item;
      }
      case 'allocation':
        return allocationItem(node.pool, node.allocation);
      case 'freeRange': {
        const item = new vscode.TreeItem(node.range);
        item.id = `${node.pool.id}#free:${node.range}`;
        item.iconPath = new vscode.ThemeIcon('circle-large-outline');
        item.contextValue = 'capiIpam.freeRange';
        item.tooltip = `Free in ${node.pool.name}: ${node.range}`;
        return item;
      }
      case 'reserved': {
        const item = new vscode.TreeItem(node.reserved.address);
        item.id = `${node.pool.id}#reserved:${node.reserved.address}`;
        item.description = node.reserved.reason;
        item.iconPath = new vscode.ThemeIcon('lock');
        item.contextValue = 'capiIpam.reserved';
        item.tooltip = `${node.reserved.address} is never allocated (${node.reserved.reason})`;
        return item;
      }
    }
  }

  /** A block's contents, asked for when it is expanded: 65,000 allocations never travel at once. */
  private async blockChildren(pool: PoolView, block: AddressBlock<AllocationView>): Promise<PoolNode[]> {
    const inside = await this.server.poolBlock(pool.id, block.block);
    return inside.blocks ? inside.blocks.map((b) => blockNode(pool, b)) : allocationNodes(pool, inside.allocations ?? []);
  }

  protected override emptyMessage(): string | undefined {
    return 'No InClusterIPPool or GlobalInClusterIPPool found in the workspace or the cluster.';
  }
}

function sectionChildren(pool: PoolView, section: Section): PoolNode[] {
  switch (section) {
    case 'warnings':
      return pool.warnings.map((message) => ({ type: 'warning', pool, message, poolId: pool.id }));
    case 'allocated':
      return pool.allocationBlocks ? pool.allocationBlocks.map((block) => blockNode(pool, block)) : allocationNodes(pool, pool.allocations);
    case 'free':
      // The first address of a range is what "copy" puts on the clipboard.
      return pool.freeRanges.map((range) => ({ type: 'freeRange', pool, range, poolId: pool.id, address: range.split(/[-\s]/)[0] }));
    case 'reserved':
      return pool.reserved.map((reserved) => ({ type: 'reserved', pool, reserved, poolId: pool.id, address: reserved.address }));
  }
}

function blockNode(pool: PoolView, block: AddressBlock<AllocationView>): PoolNode {
  return { type: 'block', pool, block, poolId: pool.id };
}

function allocationNodes(pool: PoolView, allocations: AllocationView[]): PoolNode[] {
  return allocations.map((allocation) => ({
    type: 'allocation',
    pool,
    allocation,
    poolId: pool.id,
    address: allocation.address,
    location: allocation.location,
    // Release deletes this allocation's own claim, never "the cluster's" (a node address has the cluster's label too).
    claim: releasableClaim(pool, allocation),
  }));
}

/** The live IPAddressClaim behind an allocation: only such an allocation can be released. */
function releasableClaim(pool: PoolView, allocation: AllocationView): ClaimRef | undefined {
  return pool.source === 'live' && allocation.claim && allocation.namespace ? { namespace: allocation.namespace, name: allocation.claim } : undefined;
}

export function poolLabel(pool: PoolView): string {
  return pool.namespace ? `${pool.namespace}/${pool.name}` : pool.name;
}

function poolItem(pool: PoolView, stale: string | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(poolLabel(pool), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = pool.id;
  // An external IPAM keeps the ranges: only what is used is known here.
  item.description = pool.managedBy
    ? `${pool.used} used · ranges managed by ${pool.managedBy}`
    : poolDescription(pool.used, pool.total, pool.free) + (pool.freeAfterRollout !== undefined ? ` · ${pool.freeAfterRollout} free after a rollout` : '');
  const flags = [pool.warnings.length > 0 ? 'warning' : undefined, pool.location ? 'located' : undefined].filter(Boolean);
  item.contextValue = ['capiIpam.pool', ...flags].join('.');
  item.iconPath =
    pool.warnings.length > 0
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(pool.namespace === undefined ? 'globe' : 'symbol-namespace');
  item.tooltip = poolTooltip(pool, stale);
  return item;
}

function poolTooltip(pool: PoolView, stale: string | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const source = pool.source === 'live' ? `from the cluster${stale ? `, ${stale}` : ''}` : 'from the workspace';
  md.appendMarkdown(`**${pool.kind}** \`${escapeCode(poolLabel(pool))}\` (${source})\n\n`);
  md.appendMarkdown(`Addresses: ${pool.addresses.map((a) => `\`${escapeCode(a)}\``).join(', ') || '—'}`);
  if (pool.prefix !== undefined) md.appendMarkdown(` · prefix /${pool.prefix}`);
  if (pool.gateway) md.appendMarkdown(` · gateway \`${escapeCode(pool.gateway)}\``);
  if (pool.managedBy) md.appendMarkdown(`\n\nRanges managed by ${escapeCode(pool.managedBy)}: ${pool.used} address(es) used`);
  else md.appendMarkdown(`\n\nUsed ${pool.used} of ${pool.total}, ${pool.free} free`);
  if (pool.firstFree) md.appendMarkdown(` (next: \`${pool.firstFree}\`)`);
  if (pool.freeAfterRollout !== undefined) md.appendMarkdown(`\n\nFree after a rollout of the machines drawing from it: ${pool.freeAfterRollout}`);
  for (const warning of pool.warnings) {
    md.appendMarkdown('\n\n$(warning) ');
    md.appendText(warning);
  }
  md.supportThemeIcons = true;
  return md;
}

function sectionItem(pool: PoolView, section: Section): vscode.TreeItem {
  const titles: Record<Section, string> = {
    warnings: `Warnings (${pool.warnings.length})`,
    allocated: `Allocated (${pool.allocationBlocks ? pool.allocationBlocks.reduce((n, b) => n + b.count, 0) : pool.allocations.length})`,
    free: `Free (${pool.free})`,
    reserved: `Reserved (${pool.reserved.length})`,
  };
  const icons: Record<Section, string> = { warnings: 'warning', allocated: 'pass-filled', free: 'circle-large-outline', reserved: 'lock' };
  const empty = (section === 'allocated' && pool.allocations.length === 0 && !pool.allocationBlocks) || (section === 'free' && pool.freeRanges.length === 0);
  const state = empty
    ? vscode.TreeItemCollapsibleState.None
    : section === 'reserved'
      ? vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.Expanded;
  const item = new vscode.TreeItem(titles[section], state);
  item.id = `${pool.id}#${section}`;
  item.iconPath = new vscode.ThemeIcon(icons[section]);
  item.contextValue = `capiIpam.section.${section}`;
  return item;
}

function allocationItem(pool: PoolView, allocation: AllocationView): vscode.TreeItem {
  const item = new vscode.TreeItem(allocation.address);
  item.id = `${pool.id}#allocation:${allocation.address}:${allocation.name}`;
  const owner = allocation.claim ?? allocation.name;
  item.description = allocation.cluster ? `${owner} → ${allocation.cluster}` : owner;
  const flags = [releasableClaim(pool, allocation) ? 'releasable' : undefined, allocation.location ? 'located' : undefined].filter(Boolean);
  item.contextValue = ['capiIpam.allocation', ...flags].join('.');
  item.iconPath = new vscode.ThemeIcon('pass-filled');
  const where = allocation.namespace ? `${allocation.namespace}/${allocation.name}` : allocation.name;
  item.tooltip = [
    `${allocation.address} — ${where}`,
    allocation.claim ? `claim: ${allocation.claim}` : '',
    allocation.cluster ? `cluster: ${allocation.cluster}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  if (allocation.location) {
    const location = toLocation(allocation.location);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [location.uri, { selection: location.range, preview: true }] };
  }
  return item;
}
