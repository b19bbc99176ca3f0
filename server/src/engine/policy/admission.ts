// An admission guard generated from the pools (issue 13, part 2): a ValidatingAdmissionPolicy (CEL with
// Kubernetes' ip()/cidr() library) or the equivalent Kyverno ClusterPolicy. The addresses live in a
// ConfigMap the policy takes as parameters, so a pool change needs a new ConfigMap, not a new policy.
import { BITS, formatAddr } from '../ip/addr';
import { prefixesOf } from '../ip/kubeVipPool';
import { RangeSet } from '../ip/range-set';
import { activeKubeVip, isPoolKey, poolOf } from '../model/kubeVipConfig';
import type { Inventory, PoolInfo } from '../model/types';
import { poolLabel } from '../model/pools';

export type PolicyFormat = 'vap' | 'kyverno';

export const POLICY_NAME = 'capi-ipam-addresses';
export const PARAMS = { name: 'capi-ipam-policy-params', namespace: 'kube-system' } as const;
export const DEFAULT_INFRA_KINDS = ['VSphereCluster', 'ProxmoxCluster', 'NutanixCluster', 'Metal3Cluster'];
const INFRA_GROUPS = ['infrastructure.cluster.x-k8s.io', 'vmware.infrastructure.cluster.x-k8s.io'];

export interface PolicyParams {
  /** What the VIP pools can allocate (reserved, gateway and excluded addresses removed), as CIDRs. */
  vipCidrs: string[];
  /** What the kube-vip cloud provider's pools cover, as CIDRs. */
  lbCidrs: string[];
  /** Pools and kube-vip keys used, and what was left out and why. */
  notes: string[];
}

/** A set as the fewest CIDRs, ascending (CEL has cidr() but no ranges). */
export function toCidrs(set: RangeSet): string[] {
  return set.ranges.flatMap(([a, b]) =>
    prefixesOf(a, b).map(([p, q]) => `${formatAddr({ family: set.family, value: p })}/${BITS[set.family] - (q - p + 1n).toString(2).length + 1}`),
  );
}

function union(sets: RangeSet[]): string[] {
  return ([4, 6] as const).flatMap((f) =>
    toCidrs(
      RangeSet.of(
        f,
        sets.filter((s) => s.family === f).flatMap((s) => s.ranges),
      ),
    ),
  );
}

/** The VIP pools (all valid pools, or the ones named) and the kube-vip ranges, as policy parameters. */
export function policyParams(inventory: Inventory, poolNames: string[] = []): PolicyParams {
  const notes: string[] = [];
  const named = (p: PoolInfo) => poolNames.length === 0 || poolNames.includes(p.name);
  const pools = inventory.pools.filter((p) => {
    if (!named(p)) return false;
    if (p.analysis.errors.length) notes.push(`left out ${poolLabel(p)}: ${p.analysis.errors[0]!.message}`);
    return p.analysis.errors.length === 0;
  });
  for (const n of poolNames) if (!inventory.pools.some((p) => p.name === n)) notes.push(`no pool named ${n}`);
  for (const p of pools) notes.push(`VIP pool ${poolLabel(p)}: ${p.analysis.allocatable.size()} allocatable address(es)`);
  const c = activeKubeVip(inventory.kubeVipConfigs);
  const lbSets: RangeSet[] = [];
  for (const v of c?.values.values() ?? []) {
    if (!isPoolKey(v.key)) continue;
    const pool = poolOf(c!, v);
    const error = pool.error ?? pool.entries.find((e) => e.error)?.error;
    if (error) notes.push(`left out kube-vip ${v.key}: ${error}`);
    else {
      lbSets.push(...pool.sets);
      notes.push(`kube-vip ${v.key}: ${v.value}`);
    }
  }
  return { vipCidrs: union(pools.map((p) => p.analysis.allocatable)), lbCidrs: union(lbSets), notes };
}

export function paramsConfigMap(p: PolicyParams): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: PARAMS.name, namespace: PARAMS.namespace, labels: { 'app.kubernetes.io/managed-by': 'capi-ipam' } },
    data: { vipCidrs: p.vipCidrs.join(','), lbCidrs: p.lbCidrs.join(',') },
  };
}

/** The CEL of both formats: variables, then one validation for cluster endpoints and one for Services. */
export const CEL = {
  variables: [
    {
      name: 'host',
      expression:
        "has(object.spec) && has(object.spec.controlPlaneEndpoint) && has(object.spec.controlPlaneEndpoint.host) ? object.spec.controlPlaneEndpoint.host : ''",
    },
    { name: 'vipCidrs', expression: "has(params.data) && 'vipCidrs' in params.data ? params.data.vipCidrs.split(',').filter(c, c != '') : []" },
    { name: 'lbCidrs', expression: "has(params.data) && 'lbCidrs' in params.data ? params.data.lbCidrs.split(',').filter(c, c != '') : []" },
    {
      name: 'lbIps',
      expression:
        "has(object.spec) && has(object.spec.type) && object.spec.type == 'LoadBalancer' ? (has(object.metadata.annotations) && 'kube-vip.io/loadbalancerIPs' in object.metadata.annotations && object.metadata.annotations['kube-vip.io/loadbalancerIPs'] != '' ? object.metadata.annotations['kube-vip.io/loadbalancerIPs'].split(',') : (has(object.spec.loadBalancerIP) && object.spec.loadBalancerIP != '' ? [object.spec.loadBalancerIP] : [])) : []",
    },
  ],
  validations: [
    {
      // Empty and templated hosts are filled in later (clusterctl, Helm, the IPAM flow); anything else must be allocatable.
      expression:
        "request.resource.resource == 'services' || variables.host == '' || variables.host.contains('${') || variables.host.contains('{{') || (isIP(variables.host) && variables.vipCidrs.exists(c, cidr(c).containsIP(ip(variables.host))))",
      messageExpression: "'controlPlaneEndpoint.host ' + variables.host + ' is not an address the VIP pools can allocate (capi-ipam policy)'",
      reason: 'Invalid',
    },
    {
      // 0.0.0.0 and :: ask kube-vip for a DHCP lease.
      expression:
        "request.resource.resource != 'services' || variables.lbIps.all(a, a == '0.0.0.0' || a == '::' || (isIP(a) && variables.lbCidrs.exists(c, cidr(c).containsIP(ip(a)))))",
      messageExpression: "'LoadBalancer IP ' + variables.lbIps.join(',') + ' lies outside the kube-vip ranges (capi-ipam policy)'",
      reason: 'Invalid',
    },
  ],
};

const plural = (kind: string) => `${kind.toLowerCase()}s`;

export function vapDocuments(p: PolicyParams, infraKinds = DEFAULT_INFRA_KINDS): object[] {
  const operations = ['CREATE', 'UPDATE'];
  return [
    paramsConfigMap(p),
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: POLICY_NAME },
      spec: {
        failurePolicy: 'Fail',
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConstraints: {
          resourceRules: [
            { apiGroups: ['cluster.x-k8s.io'], apiVersions: ['*'], operations, resources: ['clusters'] },
            { apiGroups: INFRA_GROUPS, apiVersions: ['*'], operations, resources: infraKinds.map(plural) },
            { apiGroups: [''], apiVersions: ['v1'], operations, resources: ['services'] },
          ],
        },
        variables: CEL.variables,
        validations: CEL.validations,
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: POLICY_NAME },
      spec: {
        policyName: POLICY_NAME,
        validationActions: ['Deny'],
        paramRef: { name: PARAMS.name, namespace: PARAMS.namespace, parameterNotFoundAction: 'Deny' },
      },
    },
  ];
}

export function kyvernoDocuments(p: PolicyParams, infraKinds = DEFAULT_INFRA_KINDS): object[] {
  const cel = (expressions: object[]) => ({
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
    paramRef: { name: PARAMS.name, namespace: PARAMS.namespace, parameterNotFoundAction: 'Deny' },
    variables: CEL.variables,
    expressions,
  });
  return [
    paramsConfigMap(p),
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: {
        name: POLICY_NAME,
        annotations: {
          'policies.kyverno.io/title': 'Addresses from the IPAM and kube-vip pools',
          'policies.kyverno.io/description':
            'Generated by capi-ipam policy: control-plane endpoints must be allocatable from the VIP pools, LoadBalancer IPs must lie in the kube-vip ranges.',
        },
      },
      spec: {
        validationFailureAction: 'Enforce',
        background: false,
        rules: [
          {
            name: 'control-plane-endpoint-in-vip-pools',
            match: {
              any: [
                {
                  resources: {
                    kinds: ['cluster.x-k8s.io/*/Cluster', ...INFRA_GROUPS.flatMap((g) => infraKinds.map((k) => `${g}/*/${k}`))],
                    operations: ['CREATE', 'UPDATE'],
                  },
                },
              ],
            },
            validate: { cel: cel([CEL.validations[0]!]) },
          },
          {
            name: 'loadbalancer-ip-in-kube-vip-ranges',
            match: { any: [{ resources: { kinds: ['Service'], operations: ['CREATE', 'UPDATE'] } }] },
            validate: { cel: cel([CEL.validations[1]!]) },
          },
        ],
      },
    },
  ];
}
