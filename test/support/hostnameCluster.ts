import { kubeVipPod } from './kubeVipPod';

// A cluster whose endpoint is a host name while kube-vip holds an IP (shared by the host-name tests).
export const hostnameCluster = (host: string, vip: string) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: web
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ${host}
    port: 6443
  controlPlaneRef:
    kind: KubeadmControlPlane
    name: web
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: web
  namespace: default
spec:
  kubeadmConfigSpec:
    files:
    - path: /etc/kubernetes/manifests/kube-vip.yaml
      content: |
${kubeVipPod(vip, 8)}`;
