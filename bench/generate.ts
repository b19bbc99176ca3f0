// Synthetic CAPV workspaces for the benchmark: realistic clusters (Cluster, VSphereCluster, KCP
// with the embedded kube-vip static pod), pools, and a few deliberate findings.
const POD = (ip: string) => `apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  name: kube-vip
  namespace: kube-system
spec:
  containers:
  - args:
    - manager
    env:
    - name: vip_arp
      value: "true"
    - name: port
      value: "6443"
    - name: vip_interface
      value: ""
    - name: vip_cidr
      value: "32"
    - name: cp_enable
      value: "true"
    - name: cp_namespace
      value: kube-system
    - name: svc_enable
      value: "true"
    - name: svc_leasename
      value: plndr-svcs-lock
    - name: vip_leaderelection
      value: "true"
    - name: vip_leasename
      value: plndr-cp-lock
    - name: vip_leaseduration
      value: "15"
    - name: vip_renewdeadline
      value: "10"
    - name: vip_retryperiod
      value: "2"
    - name: address
      value: ${ip}
    - name: prometheus_server
      value: :2112
    image: ghcr.io/kube-vip/kube-vip:v0.6.4
    imagePullPolicy: IfNotPresent
    name: kube-vip
    resources: {}
    securityContext:
      capabilities:
        add:
        - NET_ADMIN
        - NET_RAW
    volumeMounts:
    - mountPath: /etc/kubernetes/admin.conf
      name: kubeconfig
  hostNetwork: true
  volumes:
  - hostPath:
      path: /etc/kubernetes/admin.conf
      type: FileOrCreate
    name: kubeconfig
status: {}
`;

const ipOf = (i: number) => `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255 || 1}`;

/** Four documents (~200 lines) per cluster; every 50th has a kube-vip mismatch. */
export function clusterDocs(i: number): string[] {
  const name = `cluster-${i}`;
  const ip = ipOf(i);
  const kv = i % 50 === 0 ? ipOf(i + 1_000_000) : ip;
  const pod = POD(kv)
    .split('\n')
    .map((l) => (l ? '          ' + l : l))
    .join('\n');
  return [
    `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: ${name}
  namespace: default
  labels:
    cluster.x-k8s.io/cluster-name: ${name}
spec:
  clusterNetwork:
    pods:
      cidrBlocks:
      - 192.168.0.0/16
  infrastructureRef:
    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
    kind: VSphereCluster
    name: ${name}
  controlPlaneRef:
    apiVersion: controlplane.cluster.x-k8s.io/v1beta1
    kind: KubeadmControlPlane
    name: ${name}
`,
    `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata:
  name: ${name}
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ${ip}
    port: 6443
  identityRef:
    kind: Secret
    name: ${name}
  server: vcenter.example.com
  thumbprint: ""
`,
    `apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: ${name}
  namespace: default
spec:
  replicas: 3
  version: v1.31.4
  machineTemplate:
    infrastructureRef:
      apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
      kind: VSphereMachineTemplate
      name: ${name}
  kubeadmConfigSpec:
    clusterConfiguration:
      apiServer:
        certSANs:
        - ${ip}
        - ${name}.example.com
      controllerManager:
        extraArgs:
          cloud-provider: external
    files:
    - content: |
${pod}
      owner: root:root
      path: /etc/kubernetes/manifests/kube-vip.yaml
      permissions: "0644"
    initConfiguration:
      nodeRegistration:
        criSocket: /var/run/containerd/containerd.sock
        kubeletExtraArgs:
          cloud-provider: external
        name: '{{ local_hostname }}'
    joinConfiguration:
      nodeRegistration:
        criSocket: /var/run/containerd/containerd.sock
        kubeletExtraArgs:
          cloud-provider: external
        name: '{{ local_hostname }}'
    preKubeadmCommands:
    - hostnamectl set-hostname "{{ ds.meta_data.hostname }}"
    - echo "::1         ipv6-localhost ipv6-loopback localhost6 localhost6.localdomain6" >/etc/hosts
    - echo "127.0.0.1   {{ ds.meta_data.hostname }} {{ local_hostname }} localhost localhost.localdomain localhost4 localhost4.localdomain4" >>/etc/hosts
    postKubeadmCommands:
    - echo "control plane node ready"
    - systemctl restart containerd
    ntp:
      enabled: true
      servers:
      - 0.pool.ntp.org
      - 1.pool.ntp.org
      - 2.pool.ntp.org
    format: cloud-config
    mounts:
    - - LABEL=etcd_disk
      - /var/lib/etcddisk
    diskSetup:
      filesystems:
      - device: /dev/sdb1
        filesystem: ext4
        label: etcd_disk
    users:
    - name: capv
      sshAuthorizedKeys:
      - ssh-ed25519 AAAA${'x'.repeat(60)}
      sudo: ALL=(ALL) NOPASSWD:ALL
`,
    `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereMachineTemplate
metadata:
  name: ${name}
  namespace: default
spec:
  template:
    spec:
      cloneMode: linkedClone
      datacenter: dc1
      datastore: ds1
      diskGiB: 25
      folder: folder1
      memoryMiB: 8192
      network:
        devices:
        - dhcp4: true
          networkName: vm-network-1
      numCPUs: 2
      os: Linux
      powerOffMode: trySoft
      resourcePool: rp1
      server: vcenter.example.com
      storagePolicyName: ""
      template: ubuntu-2204-kube-v1.31.4
      thumbprint: ""
      customVMXKeys:
        guestinfo.hostname: ${name}
        disk.EnableUUID: "TRUE"
      additionalDisksGiB:
      - 20
      pciDevices: []
      tagIDs:
      - urn:vmomi:InventoryServiceTag:0001:GLOBAL
      - urn:vmomi:InventoryServiceTag:0002:GLOBAL
`,
  ];
}

export const POOLS = `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: GlobalInClusterIPPool
metadata:
  name: vips
spec:
  addresses:
  - 10.100.0.0/16
  - 10.101.0.0/16
  prefix: 8
  gateway: 10.100.0.1
`;

/** One file with `clusters` clusters (4 documents each). */
export function bigFile(clusters: number): string {
  return [POOLS, ...Array.from({ length: clusters }, (_, i) => clusterDocs(i + 2)).flat()].join('---\n');
}

/** `n` small clusters in one file (Cluster + VSphereCluster), all on one VIP: every one has a duplicate-ip finding. */
export function sharedVipFile(n: number): string {
  const cluster = (i: number) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: c${i}
  namespace: default
spec:
  infrastructureRef:
    kind: VSphereCluster
    name: c${i}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: VSphereCluster
metadata:
  name: c${i}
  namespace: default
spec:
  controlPlaneEndpoint:
    host: 10.100.0.10
`;
  return [POOLS, ...Array.from({ length: n }, (_, i) => cluster(i))].join('---\n');
}
