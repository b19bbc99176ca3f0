// The kube-vip static pod as users write it into a KubeadmControlPlane file, for tests: `indent` spaces
// before every line, so it can stand alone or sit inside a `content: |` block scalar.
export function kubeVipPod(address: string, indent = 0): string {
  const pad = ' '.repeat(indent);
  return `apiVersion: v1
kind: Pod
metadata:
  name: kube-vip
spec:
  containers:
  - name: kube-vip
    image: ghcr.io/kube-vip/kube-vip:v0.8.0
    env:
    - name: address
      value: ${address}
`
    .replace(/^/gm, pad)
    .replace(new RegExp(`${pad}$`), '');
}
