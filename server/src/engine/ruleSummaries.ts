// One line per rule, for SARIF's rule descriptions (the README section `rule-<code>` has the details;
// the extension opens it offline from a diagnostic's code).
import type { RuleCode } from './types';

export const RULE_SUMMARIES: Record<RuleCode, string> = {
  'yaml-syntax': 'The file is not valid YAML: nothing else is checked in that document.',
  'invalid-ip': 'A VIP or certSAN value that is not an IP address.',
  'vip-mismatch': 'The VIP places of one cluster disagree.',
  'stale-certsan': "An IP certSAN that is not the VIP but lies in a pool or the VIP's subnet: probably an old VIP.",
  'duplicate-ip': 'Two clusters share a VIP, or a VIP equals a LoadBalancer Service IP.',
  'ip-in-use': 'The VIP is held by an IPAddress of another claim.',
  'out-of-pool': 'The VIP is in no known pool.',
  'reserved-ip': 'The VIP is a network, broadcast, anycast, gateway or excluded address of a pool.',
  'lb-range-overlap': 'The VIP lies in a kube-vip cloud-provider range: a LoadBalancer Service may get it.',
  'network-overlap': "The VIP lies inside the cluster's own pod or service CIDRs.",
  'missing-vip': 'The control-plane endpoint host is empty, a placeholder or a template.',
  'invalid-pool': "A pool the provider's webhook rejects, or a pool mistake it accepts (overlaps, gateway outside the subnet, the excludeAddresses typo).",
  'dns-mismatch': 'The endpoint host name does not resolve to the kube-vip VIP.',
  'lb-ip-conflict': "A LoadBalancer Service IP is also another Service's IP, a cluster VIP or an allocated IPAM address.",
  'lb-ip-outside-range': 'A LoadBalancer Service IP lies outside the kube-vip ranges its namespace draws from.',
  'lb-range-pool-overlap': 'A kube-vip range overlaps what an IPAM pool can allocate.',
  'invalid-lb-range': 'A kube-vip cidr-*/range-* entry the kube-vip cloud provider cannot parse.',
  'render-failed': 'A Helm chart or Kustomize overlay could not be rendered.',
  'vip-in-estate': "A VIP is also a LoadBalancer Service's IP or a node's address in a cluster of the estate.",
  'pool-node-address': 'An IPAM pool can hand out an address a node of the estate already has.',
  'kube-vip-namespace-overlap': "A namespace's kube-vip pool overlaps the global one: the provider can hand out one address twice.",
  'service-ip-in-estate': "A workload cluster's LoadBalancer Service IP is also another cluster's Service IP or a node's address.",
  'kube-vip-range-overlap': "A workload cluster's kube-vip range overlaps another cluster's range, an IPAM pool, its own pod/service CIDRs or node addresses.",
  'management-pool-overlap': 'Pools of two management clusters can hand out the same address.',
};
