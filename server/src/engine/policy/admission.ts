// An admission guard generated from the pools (issue 13, part 2): a ValidatingAdmissionPolicy (CEL with
// Kubernetes' ip()/cidr() library) or the equivalent Kyverno ClusterPolicy. The addresses live in a
// ConfigMap the policy takes as parameters, so a pool change needs a new ConfigMap, not a new policy.
import { BITS, formatAddr } from '../ip/addr';
import { prefixesOf } from '../ip/kubeVipPool';
import { RangeSet } from '../ip/range-set';
import { activeKubeVip, isPoolKey, poolOf } from '../model/kubeVipConfig';
import type { Inventory, PoolInfo, WorkloadCluster } from '../model/types';
import { poolLabel } from '../model/pools';
import { poolRoles } from '../ranking';

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

/**
 * The VIP pools and the kube-vip ranges, as policy parameters. VIP pools are the ones named (`--pool`),
 * else every valid pool but node pools (`poolRoles`, the roles the rest of the tool uses: machine
 * templates draw from them, or a cluster's claims other than its VIP claim hold their addresses).
 */
export function policyParams(analysis: { inventory: Inventory; clusters: WorkloadCluster[] }, poolNames: string[] = []): PolicyParams {
  const { inventory } = analysis;
  const notes: string[] = [];
  const roles = poolRoles(inventory, analysis.clusters);
  const wanted = (p: PoolInfo) => {
    if (poolNames.length) return poolNames.includes(p.name);
    if (roles.get(p) !== 'node') return true;
    notes.push(`left out ${poolLabel(p)}: a node pool (machines draw node addresses from it; --pool adds it)`);
    return false;
  };
  const pools = inventory.pools.filter((p) => {
    if (!wanted(p)) return false;
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

const HOST = 'object.spec.controlPlaneEndpoint.host';
const HAS_HOST = `has(object.spec) && has(object.spec.controlPlaneEndpoint) && has(${HOST})`;
const LB_ANNOTATION = "object.metadata.annotations['kube-vip.io/loadbalancerIPs']";
const HAS_ANNOTATION = `has(object.metadata.annotations) && 'kube-vip.io/loadbalancerIPs' in object.metadata.annotations && ${LB_ANNOTATION} != ''`;
const HAS_SPEC_IP = "has(object.spec.loadBalancerIP) && object.spec.loadBalancerIP != ''";

/**
 * The CEL of both formats. The match condition scopes the policy to what it guards, so that nothing else
 * is ever evaluated (nor refused by a broken parameter ConfigMap or a failing expression under
 * failurePolicy Fail): a Service only when it is a LoadBalancer that requests an address; a cluster only
 * when its endpoint host is written as an address
 * (digits and dots, or with a colon). Empty, templated and DNS hosts (`api.lab.local`: CEL cannot resolve
 * it; capi-ipam's dns-mismatch checks it) are never matched. Then one validation for cluster endpoints
 * and one for Services.
 */
export const CEL = {
  matchConditions: [
    {
      name: 'guarded-objects-only',
      expression: `request.resource.resource == 'services' ? has(object.spec) && has(object.spec.type) && object.spec.type == 'LoadBalancer' && ((${HAS_ANNOTATION}) || (${HAS_SPEC_IP})) : ${HAS_HOST} && (${HOST}.matches('^[0-9.]+$') || ${HOST}.contains(':'))`,
    },
  ],
  variables: [
    { name: 'host', expression: `${HAS_HOST} ? ${HOST} : ''` },
    { name: 'vipCidrs', expression: "has(params.data) && 'vipCidrs' in params.data ? params.data.vipCidrs.split(',').filter(c, c != '') : []" },
    { name: 'lbCidrs', expression: "has(params.data) && 'lbCidrs' in params.data ? params.data.lbCidrs.split(',').filter(c, c != '') : []" },
    {
      name: 'lbIps',
      expression: `has(object.spec) && has(object.spec.type) && object.spec.type == 'LoadBalancer' ? (${HAS_ANNOTATION} ? ${LB_ANNOTATION}.split(',') : (${HAS_SPEC_IP} ? [object.spec.loadBalancerIP] : [])) : []`,
    },
  ],
  validations: [
    {
      // Templated hosts (`${VAR:=10.0.0.1}` has a colon) are filled in later (clusterctl, Helm, the IPAM flow); an address must be allocatable.
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
        // Fail: an object the policy guards is not admitted unchecked; the match condition keeps every other object out of it.
        failurePolicy: 'Fail',
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConditions: CEL.matchConditions,
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
        // Allow: kube-apiserver resolves the parameters before the match conditions, so Deny would refuse every
        // Service and cluster while the ConfigMap is missing. Without it the policy checks nothing: apply it first.
        paramRef: { name: PARAMS.name, namespace: PARAMS.namespace, parameterNotFoundAction: 'Allow' },
      },
    },
  ];
}

export function kyvernoDocuments(p: PolicyParams, infraKinds = DEFAULT_INFRA_KINDS): object[] {
  const cel = (expressions: object[]) => ({
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
    paramRef: { name: PARAMS.name, namespace: PARAMS.namespace, parameterNotFoundAction: 'Allow' }, // as the binding's
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
            celPreconditions: CEL.matchConditions,
            validate: { cel: cel([CEL.validations[0]!]) },
          },
          {
            name: 'loadbalancer-ip-in-kube-vip-ranges',
            match: { any: [{ resources: { kinds: ['Service'], operations: ['CREATE', 'UPDATE'] } }] },
            celPreconditions: CEL.matchConditions,
            validate: { cel: cel([CEL.validations[1]!]) },
          },
        ],
      },
    },
  ];
}
