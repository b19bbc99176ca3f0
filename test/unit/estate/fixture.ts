// An estate as the API servers serve it: two management clusters (lab, prod-mc) and two workload clusters
// of lab (default/prod, default/dev), as the JSON objects kube-apiserver returns, converted by the live
// code's converters (the same the watch and the CLI use).
import type { Obj } from '../../../server/src/live/watcher';

/** An API object as JSON (Obj names only the metadata the watcher reads). */
const obj = (o: Record<string, unknown>): Obj => o as Obj;

export const cluster = (ns: string, name: string, host: string, pods = '192.168.0.0/16', services = '10.96.0.0/12'): Obj =>
  obj({
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Cluster',
    metadata: { name, namespace: ns, resourceVersion: '1' },
    spec: {
      clusterNetwork: { pods: { cidrBlocks: [pods] }, services: { cidrBlocks: [services] } },
      controlPlaneEndpoint: { host, port: 6443 },
      infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha1', kind: 'ProxmoxCluster', name },
    },
  });

export const proxmoxCluster = (ns: string, name: string, host: string): Obj =>
  obj({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha1',
    kind: 'ProxmoxCluster',
    metadata: {
      name,
      namespace: ns,
      labels: { 'cluster.x-k8s.io/cluster-name': name },
      ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', name, uid: 'u1' }],
    },
    spec: { controlPlaneEndpoint: { host, port: 6443 }, ipv4Config: { addresses: ['10.10.0.20-10.10.0.29'], prefix: 24, gateway: '10.10.0.1' } },
  });

export const machine = (ns: string, cluster: string, name: string, ip: string, node = name): Obj =>
  obj({
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Machine',
    metadata: { name, namespace: ns, labels: { 'cluster.x-k8s.io/cluster-name': cluster } },
    spec: { clusterName: cluster, bootstrap: { dataSecretName: `${name}-bootstrap` } },
    status: {
      addresses: [
        { type: 'Hostname', address: name },
        { type: 'InternalIP', address: ip },
      ],
      nodeRef: { apiVersion: 'v1', kind: 'Node', name: node },
      phase: 'Running',
    },
  });

export const node = (name: string, ip: string): Obj =>
  obj({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
    },
  });

export const lbService = (ns: string, name: string, ip: string): Obj =>
  obj({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, annotations: { 'kube-vip.io/loadbalancerIPs': ip }, labels: { implementation: 'kube-vip' } },
    spec: { type: 'LoadBalancer', loadBalancerIP: ip, ports: [{ port: 443, protocol: 'TCP', targetPort: 8443 }], clusterIP: '10.96.10.1' },
    status: { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } },
  });

export const kubeVip = (data: Record<string, string>): Obj =>
  obj({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kubevip', namespace: 'kube-system' },
    data,
  });

export const lease = (holder: string): Obj =>
  obj({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'plndr-cp-lock', namespace: 'kube-system' },
    spec: { holderIdentity: holder, leaseDurationSeconds: 5 },
  });

export const globalPool = (name: string, addresses: string[]): Obj =>
  obj({
    apiVersion: 'ipam.cluster.x-k8s.io/v1alpha2',
    kind: 'GlobalInClusterIPPool',
    metadata: { name },
    spec: { addresses, prefix: 24, gateway: '10.10.0.1' },
  });

export { estateInventory, type ManagementSeed } from '../../support/estateInventory';
