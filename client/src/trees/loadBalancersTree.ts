// The Load balancers view: Services of type LoadBalancer grouped by namespace, with the IP (or
// "pending") and the range or pools it draws from; conflicts are flagged on the service. When more
// than one LB provider serves them (kube-vip, MetalLB, Cilium), the provider is the first level.
import * as vscode from 'vscode';
import type { ServiceView } from '../../../server/src/protocol';
import type { IpamServer } from '../ipamServer';
import type { CommandTarget } from './commandTarget';
import { ServerTree } from './serverTree';

export type LoadBalancerNode =
  | ({ type: 'provider'; provider: string; services: ServiceView[] } & CommandTarget)
  | ({ type: 'namespace'; namespace: string; services: ServiceView[]; provider?: string } & CommandTarget)
  | ({ type: 'service'; service: ServiceView } & CommandTarget);

function byNamespace(services: ServiceView[], provider?: string): LoadBalancerNode[] {
  const groups = new Map<string, ServiceView[]>();
  for (const service of services) groups.set(service.namespace, [...(groups.get(service.namespace) ?? []), service]);
  return [...groups.keys()].sort().map((namespace) => ({
    type: 'namespace',
    namespace,
    provider,
    services: (groups.get(namespace) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

export class LoadBalancersTree extends ServerTree<LoadBalancerNode> {
  constructor(private readonly server: IpamServer) {
    super('capiIpam.loadBalancers');
  }

  protected async fetchRoots(): Promise<LoadBalancerNode[]> {
    const services = await this.server.loadBalancers();
    const providers = [...new Set(services.map((s) => s.provider ?? 'unknown provider'))].sort();
    if (providers.length <= 1) return byNamespace(services);
    return providers.map((provider) => ({ type: 'provider', provider, services: services.filter((s) => (s.provider ?? 'unknown provider') === provider) }));
  }

  protected childrenOf(node: LoadBalancerNode): LoadBalancerNode[] {
    if (node.type === 'provider') return byNamespace(node.services, node.provider);
    if (node.type !== 'namespace') return [];
    return node.services.map((service) => ({ type: 'service', service, address: service.ips[0], location: service.location }));
  }

  getTreeItem(node: LoadBalancerNode): vscode.TreeItem {
    if (node.type === 'provider') {
      const item = new vscode.TreeItem(node.provider, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `provider:${node.provider}`;
      item.description = `${node.services.length} service${node.services.length === 1 ? '' : 's'}`;
      item.iconPath = new vscode.ThemeIcon('server-environment');
      item.contextValue = 'capiIpam.lbProvider';
      return item;
    }
    if (node.type === 'namespace') {
      const item = new vscode.TreeItem(node.namespace, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `namespace:${node.provider ? `${node.provider}/` : ''}${node.namespace}`;
      const conflicts = node.services.filter((service) => service.conflicts.length > 0).length;
      item.description = `${node.services.length} service${node.services.length === 1 ? '' : 's'}${conflicts ? ` · ${conflicts} conflicting` : ''}`;
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      item.contextValue = 'capiIpam.namespace';
      return item;
    }
    return serviceItem(node.service);
  }

  protected override emptyMessage(): string | undefined {
    return 'No Service of type LoadBalancer.';
  }
}

function serviceItem(service: ServiceView): vscode.TreeItem {
  const item = new vscode.TreeItem(service.name);
  item.id = `service:${service.namespace}/${service.name}`;
  const ips = service.ips.length > 0 ? service.ips.join(', ') : 'pending';
  const outside = service.inRange === false ? ' (outside)' : '';
  item.description = service.range ? `${ips} · ${service.range}${outside}` : ips;
  const hasConflicts = service.conflicts.length > 0;
  const flags = [service.ips.length > 0 ? 'assigned' : 'pending', hasConflicts ? 'conflict' : undefined, service.location ? 'located' : undefined].filter(
    Boolean,
  );
  item.contextValue = ['capiIpam.service', ...flags].join('.');
  item.iconPath = hasConflicts
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
    : new vscode.ThemeIcon(service.ips.length > 0 ? 'broadcast' : 'watch');
  item.tooltip = [
    `${service.namespace}/${service.name}: ${ips}`,
    service.range
      ? `draws from ${service.provider === 'kube-vip cloud provider' || !service.provider ? 'kube-vip ' : ''}${service.range}${outside ? ': the requested IP is outside it' : ''}`
      : '',
    ...service.conflicts.map((c) => `⚠ ${c}`),
  ]
    .filter(Boolean)
    .join('\n');
  return item;
}
