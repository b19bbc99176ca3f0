// The kube-vip ranges view: each cidr-*/range-* entry of the kube-vip cloud-provider ConfigMap, and
// each entry of the MetalLB and Cilium LB-IPAM pools, with its size and usage; the Services using it
// are the children. With more than one provider, the provider is the first level.
import * as vscode from 'vscode';
import type { KubeVipRangeView } from '../../../server/src/protocol';
import type { IpamServer } from '../ipamServer';
import type { CommandTarget } from './commandTarget';
import { ServerTree } from './serverTree';
import { usageBar } from './usageBar';

export type KubeVipRangeNode =
  | ({ type: 'provider'; provider: string; ranges: KubeVipRangeView[] } & CommandTarget)
  | ({ type: 'range'; range: KubeVipRangeView } & CommandTarget)
  | ({ type: 'user'; range: KubeVipRangeView; user: string } & CommandTarget);

export class KubeVipRangesTree extends ServerTree<KubeVipRangeNode> {
  constructor(private readonly server: IpamServer) {
    super('capiIpam.kubeVipRanges');
  }

  protected async fetchRoots(): Promise<KubeVipRangeNode[]> {
    const ranges = await this.server.kubeVipRanges();
    const providers = [...new Set(ranges.map((r) => r.provider ?? ''))];
    if (providers.length > 1)
      return providers.map((provider) => ({ type: 'provider', provider, ranges: ranges.filter((r) => (r.provider ?? '') === provider) }));
    return ranges.map((range) => ({ type: 'range', range, location: range.location }));
  }

  protected childrenOf(node: KubeVipRangeNode): KubeVipRangeNode[] {
    if (node.type === 'provider') return node.ranges.map((range) => ({ type: 'range', range, location: range.location }));
    if (node.type !== 'range') return [];
    return node.range.users.map((user) => ({ type: 'user', range: node.range, user }));
  }

  getTreeItem(node: KubeVipRangeNode): vscode.TreeItem {
    if (node.type === 'provider') {
      const item = new vscode.TreeItem(node.provider, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `provider:${node.provider}`;
      item.description = `${node.ranges.length} range${node.ranges.length === 1 ? '' : 's'}`;
      item.iconPath = new vscode.ThemeIcon('server-environment');
      item.contextValue = 'capiIpam.lbProvider';
      return item;
    }
    const { range } = node;
    if (node.type === 'user') {
      const item = new vscode.TreeItem(node.user);
      item.id = `${rangeId(range)}#${node.user}`;
      item.iconPath = new vscode.ThemeIcon('broadcast');
      item.contextValue = 'capiIpam.kubeVipUser';
      return item;
    }
    const state = range.users.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(range.entry, state);
    item.id = rangeId(range);
    item.description = range.error
      ? `${range.scope} · invalid`
      : `${range.scope} · ${usageBar(range.used, range.size)} · ${range.used}/${range.size}${range.firstFree ? ` · next ${range.firstFree}` : ''}`;
    item.iconPath = new vscode.ThemeIcon('symbol-array');
    item.contextValue = range.location ? 'capiIpam.kubeVipRange.located' : 'capiIpam.kubeVipRange';
    const origin = range.provider && range.provider !== 'kube-vip cloud provider' ? range.configMap : `ConfigMap ${range.configMap}, key ${range.key}`;
    item.tooltip = `${origin} (${range.scope})\n${range.entry}: ${range.error ?? `${range.used} of ${range.size} used, ${range.free ?? '?'} free${range.firstFree ? `, next ${range.firstFree}` : ''}`}`;
    return item;
  }

  protected override emptyMessage(): string | undefined {
    return undefined; // the welcome view explains the empty state
  }
}

function rangeId(range: KubeVipRangeView): string {
  return `${range.configMap}#${range.key}#${range.entry}`;
}
