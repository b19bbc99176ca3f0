// The Estate view: each management cluster → its workload clusters (connection state, VIP and the
// node answering for it, nodes with their addresses, LoadBalancer Services, kube-vip ranges with
// usage), and the findings about live objects alone. One capiIpam/estate request per reload.
import * as vscode from 'vscode';
import type {
  EstateConnection,
  EstateFinding,
  EstateKubeVipRange,
  EstateManagementCluster,
  EstateNode,
  EstateService,
  EstateWorkloadCluster,
} from '../../../server/src/protocol';
import { cachedAge } from '../../../server/src/cachedAge';
import type { IpamServer } from '../ipamServer';
import type { CommandTarget } from './commandTarget';
import { ServerTree } from './serverTree';
import { usageBar } from './usageBar';

export type EstateNodeItem =
  | { type: 'management'; management: EstateManagementCluster }
  | { type: 'workload'; management: string; cluster: EstateWorkloadCluster }
  | ({ type: 'vip'; id: string; cluster: EstateWorkloadCluster } & CommandTarget)
  | { type: 'group'; id: string; label: string; children: EstateNodeItem[] }
  | ({ type: 'node'; id: string; node: EstateNode } & CommandTarget)
  | ({ type: 'service'; id: string; service: EstateService } & CommandTarget)
  | { type: 'range'; id: string; range: EstateKubeVipRange }
  | { type: 'finding'; id: string; finding: EstateFinding };

/** `live`, `cached, 3 min ago`, `forbidden`, …: the state as the description shows it (the reason is in the tooltip). */
export function stateText(connection: EstateConnection, now = Date.now()): string {
  return connection.state === 'cached' && connection.cachedAt !== undefined ? cachedAge(connection.cachedAt, now) : connection.state;
}

const STATE_ICONS: Record<EstateConnection['state'], [string, string | undefined]> = {
  live: ['pass', 'testing.iconPassed'],
  connecting: ['sync', undefined],
  cached: ['history', 'problemsWarningIcon.foreground'],
  forbidden: ['lock', 'problemsErrorIcon.foreground'],
  unreachable: ['debug-disconnect', 'problemsErrorIcon.foreground'],
  off: ['circle-slash', undefined],
};

function stateIcon(connection: EstateConnection, base: string): vscode.ThemeIcon {
  if (connection.state === 'live') return new vscode.ThemeIcon(base);
  const [icon, color] = STATE_ICONS[connection.state];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

function connectionTooltip(what: string, c: EstateConnection): string {
  const via = c.route === 'secret' ? 'its kubeconfig Secret' : c.context ? `context ${c.context}` : undefined;
  return [`${what}: ${stateText(c)}${c.reason ? ` (${c.reason})` : ''}`, via && `read through ${via}`, c.server && `server ${c.server}`]
    .filter(Boolean)
    .join('\n');
}

/** The IP addresses of a node (host names stay in the tooltip). */
function nodeIps(node: EstateNode): string[] {
  return node.addresses.filter((a) => a.type.endsWith('IP')).map((a) => a.address);
}

/** A workload cluster's children: its VIP, then the groups that have members. */
export function workloadChildren(management: string, c: EstateWorkloadCluster): EstateNodeItem[] {
  const base = `${management}#${c.namespace}/${c.name}`;
  const out: EstateNodeItem[] = [];
  if (c.vip) out.push({ type: 'vip', id: `${base}#vip`, cluster: c, address: c.vip.address });
  const group = (key: string, label: string, children: EstateNodeItem[]) => {
    if (children.length > 0) out.push({ type: 'group', id: `${base}#${key}`, label, children });
  };
  group(
    'nodes',
    'Nodes',
    c.nodes.map((node) => ({ type: 'node', id: `${base}#node#${node.name}`, node, address: nodeIps(node)[0] })),
  );
  group(
    'services',
    'Load balancers',
    c.services.map((service) => ({ type: 'service', id: `${base}#service#${service.namespace}/${service.name}`, service, address: service.ips[0] })),
  );
  group(
    'ranges',
    'kube-vip ranges',
    c.kubeVipRanges.map((range) => ({ type: 'range', id: `${base}#range#${range.key}#${range.entry}`, range })),
  );
  return out;
}

export class EstateTree extends ServerTree<EstateNodeItem> {
  constructor(private readonly server: IpamServer) {
    super('capiIpam.estate');
  }

  protected async fetchRoots(): Promise<EstateNodeItem[]> {
    // Not enabled (untrusted, offline, virtual): no roots, and the welcome text of the state explains why.
    const result = await this.server.estate();
    const roots: EstateNodeItem[] = result.managementClusters.map((management) => ({ type: 'management', management }));
    if (result.findings.length > 0) {
      roots.push({
        type: 'group',
        id: 'findings',
        label: 'Findings',
        children: result.findings.map((finding, i) => ({ type: 'finding', id: `finding#${i}#${finding.code}#${finding.address}`, finding })),
      });
    }
    return roots;
  }

  protected childrenOf(item: EstateNodeItem): EstateNodeItem[] {
    switch (item.type) {
      case 'management':
        return item.management.workloadClusters.map((cluster) => ({ type: 'workload', management: item.management.context, cluster }));
      case 'workload':
        return workloadChildren(item.management, item.cluster);
      case 'group':
        return item.children;
      default:
        return [];
    }
  }

  getTreeItem(item: EstateNodeItem): vscode.TreeItem {
    const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;
    switch (item.type) {
      case 'management': {
        const m = item.management;
        const t = new vscode.TreeItem(m.context, Expanded);
        t.id = `management#${m.context}`;
        const n = m.workloadClusters.length;
        t.description = `${stateText(m.connection)} · ${n} workload cluster${n === 1 ? '' : 's'}`;
        t.tooltip = connectionTooltip(`Management cluster ${m.context}`, m.connection);
        t.iconPath = stateIcon(m.connection, 'server-environment');
        t.contextValue = `capiIpam.estate.management.${m.connection.state}`;
        return t;
      }
      case 'workload': {
        const c = item.cluster;
        const t = new vscode.TreeItem(`${c.namespace}/${c.name}`, Collapsed);
        t.id = `${item.management}#${c.namespace}/${c.name}`;
        t.description = [stateText(c.connection), c.vip && `VIP ${c.vip.address}`].filter(Boolean).join(' · ');
        t.tooltip = connectionTooltip(`Workload cluster ${c.namespace}/${c.name}`, c.connection);
        t.iconPath = stateIcon(c.connection, 'server');
        t.contextValue = `capiIpam.estate.workload.${c.connection.state}`;
        return t;
      }
      case 'vip': {
        const vip = item.cluster.vip!;
        const t = new vscode.TreeItem(`VIP ${vip.address}`, None);
        t.id = item.id;
        t.description = vip.holder ? `on ${vip.holder}` : undefined;
        t.tooltip = `${vip.source}${vip.holder ? `\nkube-vip's control-plane lease is held by ${vip.holder}` : ''}`;
        t.iconPath = new vscode.ThemeIcon('target');
        t.contextValue = 'capiIpam.estate.vip';
        return t;
      }
      case 'group': {
        const t = new vscode.TreeItem(item.label, item.id === 'findings' ? Expanded : Collapsed);
        t.id = item.id;
        t.description = String(item.children.length);
        t.iconPath = new vscode.ThemeIcon(item.id === 'findings' ? 'warning' : 'list-tree');
        t.contextValue = 'capiIpam.estate.group';
        return t;
      }
      case 'node': {
        const { node } = item;
        const t = new vscode.TreeItem(node.name, None);
        t.id = item.id;
        t.description = nodeIps(node).join(', ');
        t.tooltip = [
          `${node.name}${node.machine ? ` (Machine ${node.machine})` : ''}, from ${node.from.join(' and ')}`,
          ...node.addresses.map((a) => `${a.type} ${a.address}`),
        ].join('\n');
        t.iconPath = new vscode.ThemeIcon('vm');
        t.contextValue = 'capiIpam.estate.node';
        return t;
      }
      case 'service': {
        const { service } = item;
        const t = new vscode.TreeItem(`${service.namespace}/${service.name}`, None);
        t.id = item.id;
        t.description = service.ips.length > 0 ? service.ips.join(', ') : 'pending';
        t.iconPath = new vscode.ThemeIcon(service.ips.length > 0 ? 'broadcast' : 'watch');
        t.contextValue = `capiIpam.estate.service.${service.ips.length > 0 ? 'assigned' : 'pending'}`;
        return t;
      }
      case 'range': {
        const { range } = item;
        const t = new vscode.TreeItem(range.entry, None);
        t.id = item.id;
        t.description = range.error ? `${range.scope} · invalid` : `${range.scope} · ${usageBar(range.used, range.size)} · ${range.used}/${range.size}`;
        t.tooltip = `${range.key}: ${range.error ?? `${range.used} of ${range.size} used by this cluster's Services`}`;
        t.iconPath = new vscode.ThemeIcon('symbol-array');
        t.contextValue = 'capiIpam.estate.range';
        return t;
      }
      case 'finding': {
        const { finding } = item;
        const t = new vscode.TreeItem(finding.message, None);
        t.id = item.id;
        t.description = finding.code;
        const icon = finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'info';
        t.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(`problems${icon[0]!.toUpperCase()}${icon.slice(1)}Icon.foreground`));
        t.contextValue = 'capiIpam.estate.finding';
        return t;
      }
    }
  }
}
