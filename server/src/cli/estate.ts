// `capi-ipam estate`: every address of the estate with its owner — VIPs, node addresses (Machines and
// Nodes), LoadBalancer Services, pools, IPAM allocations and kube-vip ranges of every management and
// workload cluster — plus each cluster's connection state and the findings about live objects alone.
import { type Analysis, type EstateFinding, type Owner, estateClusterData, estateFindings } from '../engine/index';
import type { EstateSnapshot } from '../live/estateSnapshot';
import type { EstateManagementCluster } from '../protocol';
import { terminalSafe } from './report';

export interface AddressRow {
  address: string;
  /** vip, node, service, pool, ipaddress, kube-vip-range. */
  role: string;
  managementCluster: string;
  /** `namespace/name` of the workload cluster it belongs to, when it belongs to one. */
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  source: Owner['source'];
  /** The address type of a node (InternalIP…), a pool's kind of entry, a kube-vip key. */
  detail: string;
}

const row = (address: string, role: string, owner: Owner, cluster: string | undefined, detail = ''): AddressRow => ({
  address,
  role,
  managementCluster: owner.managementCluster ?? '',
  cluster: cluster ?? owner.workloadCluster ?? '',
  kind: owner.kind,
  namespace: owner.namespace ?? '',
  name: owner.name,
  source: owner.source,
  detail,
});

export function addressRows(snapshot: EstateSnapshot): AddressRow[] {
  const inv = snapshot.inventory;
  const out: AddressRow[] = [];
  for (const e of inv.endpoints) if (e.owner) out.push(row(e.host, 'vip', e.owner, `${e.namespace}/${e.clusterName}`, '.spec.controlPlaneEndpoint.host'));
  for (const n of inv.nodeAddresses) out.push(row(n.address, 'node', n.owner, n.cluster, n.type));
  for (const ec of inv.estate) {
    const cluster = `${ec.namespace}/${ec.name}`;
    for (const s of ec.services) for (const ip of new Set(s.ips.map((x) => x.value))) out.push(row(ip, 'service', s.owner, cluster, 'LoadBalancer'));
    for (const r of estateClusterData(ec, inv).kubeVipRanges)
      out.push(
        row(
          r.entry,
          'kube-vip-range',
          {
            managementCluster: ec.managementCluster,
            workloadCluster: cluster,
            kind: 'ConfigMap',
            namespace: 'kube-system',
            name: 'kubevip',
            source: 'workload',
          },
          cluster,
          r.key,
        ),
      );
  }
  for (const p of inv.pools) if (p.owner) for (const a of p.spec.addresses) out.push(row(a, 'pool', p.owner, undefined, 'spec.addresses'));
  for (const a of inv.addresses)
    if (a.owner) out.push(row(a.address, 'ipaddress', a.owner, a.clusterName ? `${a.namespace}/${a.clusterName}` : undefined, `claim ${a.claimName}`));
  return out;
}

/** The Estate view's tree, as the language server answers capiIpam/estate. */
export function estateTree(snapshot: EstateSnapshot): EstateManagementCluster[] {
  return snapshot.managementClusters.map((m) => ({
    context: m.context,
    connection: m.connection,
    workloadClusters: m.workloads.map((w) => ({
      name: w.target.name,
      namespace: w.target.namespace,
      connection: w.state,
      ...estateClusterData(w.estate, snapshot.inventory),
    })),
  }));
}

/** The findings about live objects alone, against the files' clusters (those are the files' diagnostics). */
export function findingsOf(analysis: Analysis): EstateFinding[] {
  return estateFindings(analysis.inventory, analysis.clusters);
}

const CSV_COLUMNS: (keyof AddressRow)[] = ['address', 'role', 'managementCluster', 'cluster', 'kind', 'namespace', 'name', 'source', 'detail'];

/** RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled. A leading =+-@ is prefixed with ' (spreadsheet formulas). */
function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function formatCsv(rows: AddressRow[]): string {
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvField(r[c])).join(','))].join('\r\n') + '\r\n';
}

export function formatEstateText(rows: AddressRow[], tree: EstateManagementCluster[], findings: EstateFinding[]): string {
  const lines: string[] = [];
  for (const m of tree) {
    lines.push(`management cluster ${m.context}: ${m.connection.state}`);
    for (const w of m.workloadClusters)
      lines.push(
        `  cluster ${w.namespace}/${w.name}: ${w.connection.state}${w.connection.route ? ` (${w.connection.route}${w.connection.context ? ' ' + w.connection.context : ''})` : ''}${w.connection.reason ? ' — ' + w.connection.reason : ''}`,
      );
  }
  const table = [
    ['ADDRESS', 'ROLE', 'MANAGEMENT', 'CLUSTER', 'KIND', 'NAMESPACE/NAME', 'DETAIL'],
    ...rows.map((r) => [r.address, r.role, r.managementCluster, r.cluster, r.kind, r.namespace ? `${r.namespace}/${r.name}` : r.name, r.detail]),
  ];
  const safe = table.map((r) => r.map(terminalSafe));
  const widths = safe[0]!.map((_, i) => Math.max(...safe.map((r) => r[i]!.length)));
  lines.push(
    '',
    ...safe.map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    ),
  );
  if (findings.length) lines.push('', ...findings.map((f) => `${f.severity} [${f.code}] ${f.message}`));
  return lines.map(terminalSafe).join('\n') + '\n';
}
