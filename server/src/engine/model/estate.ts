// The estate's own kinds (issue 22), decoded from API objects: Machines and Nodes (node addresses),
// kube-vip's lease (which node answers for the VIP) and a Cluster's pod/service networks. Pure: the
// live side lists the objects, this names every address with its owner.
import { CLUSTER_NAME_LABEL } from './clusters';
import type { NodeAddressInfo, Owner } from './types';

type Plain = Record<string, unknown>;
const obj = (v: unknown): Plain => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Plain) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Where an object was read: the management cluster (context) and, for a workload cluster's object, its Cluster. */
export interface ReadFrom {
  managementCluster: string;
  /** `namespace/name` of the workload cluster; absent for the management cluster's own objects. */
  workloadCluster?: string;
}

function ownerOf(o: unknown, kind: string, from: ReadFrom): Owner {
  const m = obj(obj(o).metadata);
  const namespace = str(m.namespace);
  return {
    managementCluster: from.managementCluster,
    ...(from.workloadCluster ? { workloadCluster: from.workloadCluster } : {}),
    kind,
    ...(namespace ? { namespace } : {}),
    name: str(m.name) ?? '',
    source: from.workloadCluster ? 'workload' : 'management',
  };
}

function addressesOf(o: unknown): { type: string; address: string }[] {
  return list(obj(obj(o).status).addresses).flatMap((a) => {
    const address = str(obj(a).address);
    return address ? [{ type: str(obj(a).type) ?? '', address }] : [];
  });
}

/** A Machine's `status.addresses`, named after its Node (`status.nodeRef`) when it has one. */
export function decodeMachine(o: unknown, from: ReadFrom): NodeAddressInfo[] {
  const owner = ownerOf(o, 'Machine', from);
  const spec = obj(obj(o).spec);
  const clusterName = str(spec.clusterName) ?? str(obj(obj(obj(o).metadata).labels)[CLUSTER_NAME_LABEL]);
  const node = str(obj(obj(obj(o).status).nodeRef).name) ?? owner.name;
  const cluster = clusterName ? `${owner.namespace ?? 'default'}/${clusterName}` : undefined;
  return addressesOf(o).map((a) => ({ ...a, node, ...(cluster ? { cluster } : {}), owner }));
}

/** A workload cluster's Node and its `status.addresses`. */
export function decodeNode(o: unknown, from: ReadFrom): NodeAddressInfo[] {
  const owner = ownerOf(o, 'Node', from);
  return addressesOf(o).map((a) => ({ ...a, node: owner.name, ...(from.workloadCluster ? { cluster: from.workloadCluster } : {}), owner }));
}

/** kube-vip's control-plane leader election lease (`vip_leasename`, default `plndr-cp-lock`). */
export const KUBE_VIP_CP_LEASE = 'plndr-cp-lock';

/** The holder of a Lease (kube-vip writes the node name as holderIdentity). */
export function leaseHolder(o: unknown): string | undefined {
  return str(obj(obj(o).spec).holderIdentity);
}

/** A Cluster's `spec.clusterNetwork` CIDR blocks. */
export function clusterNetworks(o: unknown): { podCidrs: string[]; serviceCidrs: string[] } {
  const net = obj(obj(obj(o).spec).clusterNetwork);
  const blocks = (v: unknown) => list(obj(v).cidrBlocks).flatMap((b) => (str(b) ? [b as string] : []));
  return { podCidrs: blocks(net.pods), serviceCidrs: blocks(net.services) };
}

/** A node address's owner, named with the cluster the node belongs to (a Machine is a management-cluster object). */
export function nodeLabel(n: NodeAddressInfo): string {
  return ownerLabel(n.cluster ? { ...n.owner, workloadCluster: n.cluster } : n.owner);
}

/** "Service web/frontend in cluster default/prod of management cluster lab": the owner as messages name it. */
export function ownerLabel(o: Owner): string {
  const name = o.namespace ? `${o.namespace}/${o.name}` : o.name;
  const mc = o.managementCluster ? `${o.workloadCluster ? ' of' : ' in'} management cluster ${o.managementCluster}` : '';
  return `${o.kind} ${name}${o.workloadCluster ? ` in cluster ${o.workloadCluster}` : ''}${mc}`;
}
