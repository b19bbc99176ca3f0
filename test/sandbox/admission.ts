// Admission: the CRD schema checks and validating webhooks of the in-cluster IPAM provider
// (pools) and of Cluster API (IPAddressClaim, IPAddress), with their exact messages.
import { analyzePool, isAllocatable, type PoolProblem, type PoolSpec } from '../../server/src/engine/ip/pool';
import { formatAddr, parseAddr } from '../../server/src/engine/ip/addr';
import { RangeSet } from '../../server/src/engine/ip/range-set';
import { IPAM, type ResourceDef } from './kinds';
import { ApiError, badRequest, groupKind, invalid, type Cause } from './status';
import { deepEqual, isObject } from './json';
import type { Store } from './store';
import { RESOURCES } from './kinds';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export const SKIP_DELETE_WEBHOOK = 'ipam.cluster.x-k8s.io/skip-validate-delete-webhook';
const POOL_KINDS = new Set(['InClusterIPPool', 'GlobalInClusterIPPool']);

const ipAddressDef = () => RESOURCES.find((r) => r.group === IPAM && r.kind === 'IPAddress')!;
const claimDef = () => RESOURCES.find((r) => r.group === IPAM && r.kind === 'IPAddressClaim')!;

/** Go's `%q` for the ASCII texts that occur here, `%#v` for string lists, bare integers. */
function goValue(field: string, value: string): string {
  if (field === 'spec.prefix' && /^-?\d+$/.test(value)) return value;
  if (value.startsWith('[')) {
    try {
      const list = JSON.parse(value) as unknown;
      if (Array.isArray(list)) return `[]string{${list.map((v) => JSON.stringify(String(v))).join(', ')}}`;
    } catch {
      /* not a list: quote it */
    }
  }
  return JSON.stringify(value);
}

function denied(webhook: string, err: ApiError): ApiError {
  return new ApiError(err.code, err.reason, `admission webhook "${webhook}" denied the request: ${err.message}`, err.details);
}

/** Fields the served schemas know; others are rejected (fieldValidation=Strict) or pruned. */
const KNOWN_SPEC: Record<string, string[]> = {
  InClusterIPPool: ['addresses', 'prefix', 'gateway', 'excludedAddresses', 'allocateReservedIPAddresses', 'addressReuseGracePeriodSeconds'],
  GlobalInClusterIPPool: ['addresses', 'prefix', 'gateway', 'excludedAddresses', 'allocateReservedIPAddresses', 'addressReuseGracePeriodSeconds'],
  IPAddressClaim: ['poolRef', 'clusterName'],
  IPAddress: ['address', 'prefix', 'gateway', 'claimRef', 'poolRef'],
};

/**
 * Unknown spec fields of the IPAM kinds: with `Strict` a 400 like the apiserver's decoder,
 * otherwise pruned (returned as warnings for `Warn`, the default).
 */
export function pruneUnknownFields(def: ResourceDef, version: string, obj: Record<string, any>, fieldValidation: string | undefined): string[] {
  const known = def.group === IPAM ? KNOWN_SPEC[def.kind] : undefined;
  if (!known || !isObject(obj.spec)) return [];
  const unknown = Object.keys(obj.spec).filter((k) => !known.includes(k));
  if (unknown.length === 0) return [];
  const texts = unknown.map((k) => `unknown field "spec.${k}"`);
  if (fieldValidation === 'Strict') {
    const detail = texts.length === 1 ? texts[0] : texts.join(', ');
    throw badRequest(`${def.kind} in version "${version}" cannot be handled as a ${def.kind}: strict decoding error: ${detail}`);
  }
  for (const k of unknown) delete obj.spec[k];
  return fieldValidation === 'Ignore' ? [] : texts;
}

function schemaCauses(def: ResourceDef, obj: Record<string, any>): Cause[] {
  const causes: Cause[] = [];
  const spec = isObject(obj.spec) ? obj.spec : undefined;
  const required = (field: string) => causes.push({ reason: 'FieldValueRequired', message: 'Required value', field });
  if (POOL_KINDS.has(def.kind)) {
    if (!spec) required('spec');
    else {
      if (!Array.isArray(spec.addresses)) required('spec.addresses');
      if (spec.prefix === undefined || spec.prefix === null) required('spec.prefix');
      else if (typeof spec.prefix !== 'number' || !Number.isInteger(spec.prefix)) {
        causes.push({
          reason: 'FieldValueTypeInvalid',
          message: `Invalid value: "${typeof spec.prefix}": spec.prefix in body must be of type integer: "${typeof spec.prefix}"`,
          field: 'spec.prefix',
        });
      } else if (spec.prefix > 128) {
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${spec.prefix}: spec.prefix in body should be less than or equal to 128`,
          field: 'spec.prefix',
        });
      } else if (spec.prefix < 0) {
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${spec.prefix}: spec.prefix in body should be greater than or equal to 0`,
          field: 'spec.prefix',
        });
      }
      const grace = spec.addressReuseGracePeriodSeconds;
      if (typeof grace === 'number' && grace < 0) {
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${grace}: spec.addressReuseGracePeriodSeconds in body should be greater than or equal to 0`,
          field: 'spec.addressReuseGracePeriodSeconds',
        });
      }
    }
  }
  if (def.kind === 'IPAddressClaim' && def.group === IPAM) {
    if (!isObject(spec?.poolRef)) required('spec.poolRef');
    else {
      if (!spec!.poolRef.kind) required('spec.poolRef.kind');
      if (!spec!.poolRef.name) required('spec.poolRef.name');
    }
  }
  if (def.kind === 'IPAddress' && def.group === IPAM) {
    if (!spec?.address) required('spec.address');
    if (!isObject(spec?.poolRef)) required('spec.poolRef');
    if (!isObject(spec?.claimRef)) required('spec.claimRef');
  }
  return causes;
}

function poolSpec(obj: Record<string, any>): PoolSpec {
  const s = obj.spec ?? {};
  return {
    addresses: Array.isArray(s.addresses) ? s.addresses.map(String) : [],
    prefix: typeof s.prefix === 'number' ? s.prefix : undefined,
    gateway: typeof s.gateway === 'string' ? s.gateway : undefined,
    excludedAddresses: Array.isArray(s.excludedAddresses) ? s.excludedAddresses.map(String) : undefined,
    allocateReservedIPAddresses: s.allocateReservedIPAddresses === true,
  };
}

export { poolSpec };

function poolWebhook(def: ResourceDef): string {
  return `validation.${def.kind.toLowerCase()}.${IPAM}`;
}

/** IPAddresses referencing a pool: the pool's namespace, or every namespace for a global pool. */
export function addressesOfPool(store: Store, poolDef: ResourceDef, pool: Record<string, any>): Record<string, any>[] {
  const ns = poolDef.namespaced ? pool.metadata.namespace : undefined;
  return store.list(ipAddressDef(), ns).filter((a) => {
    const ref = a.spec?.poolRef ?? {};
    return ref.apiGroup === IPAM && ref.kind === poolDef.kind && ref.name === pool.metadata.name;
  });
}

function renderProblems(def: ResourceDef, name: string, problems: PoolProblem[]): ApiError {
  return invalid(
    def,
    name,
    problems.map((p) => ({ reason: 'FieldValueInvalid', field: p.field, message: `Invalid value: ${goValue(p.field, p.value)}: ${p.message}` })),
  );
}

/** `[a-b c-d]` as Go prints a []netipx.IPRange. */
function rangesText(family: 4 | 6, values: bigint[]): string {
  const set = RangeSet.ofValues(family, values);
  return `[${set.ranges.map(([a, b]) => `${formatAddr({ family, value: a })}-${formatAddr({ family, value: b })}`).join(' ')}]`;
}

function admitPool(op: Operation, def: ResourceDef, store: Store, obj: Record<string, any>): void {
  const name = obj.metadata?.name ?? '';
  if (op === 'DELETE') {
    if (obj.metadata?.annotations && SKIP_DELETE_WEBHOOK in obj.metadata.annotations) return;
    if (addressesOfPool(store, def, obj).length > 0) {
      throw denied(poolWebhook(def), badRequest('Pool has IPAddresses allocated. Cannot delete Pool until all IPAddresses have been removed.'));
    }
    return;
  }
  const schema = schemaCauses(def, obj);
  if (schema.length) throw invalid(def, name, schema);
  const analysis = analyzePool(poolSpec(obj));
  const errors = analysis.errors.filter((e) => e.message !== 'Required value');
  if (errors.length) throw denied(poolWebhook(def), renderProblems(def, name, errors));
  if (op === 'UPDATE' && analysis.family !== undefined) {
    const bad: bigint[] = [];
    for (const a of addressesOfPool(store, def, obj)) {
      const text = String(a.spec?.address ?? '');
      const p = parseAddr(text);
      if (!p.ok) continue;
      if (!isAllocatable(analysis, text)) bad.push(p.value.value);
    }
    if (bad.length) {
      throw denied(poolWebhook(def), badRequest(`pool addresses do not contain allocated addresses: ${rangesText(analysis.family, bad)}`));
    }
  }
}

function specDiff(oldSpec: unknown, newSpec: unknown): string {
  return `- ${JSON.stringify(oldSpec ?? {})}\n+ ${JSON.stringify(newSpec ?? {})}`;
}

function admitClaim(op: Operation, def: ResourceDef, obj: Record<string, any>, old: Record<string, any> | undefined): void {
  const name = obj.metadata?.name ?? '';
  if (op === 'DELETE') return;
  const schema = schemaCauses(def, obj);
  if (schema.length) throw invalid(def, name, schema);
  if (op === 'UPDATE' && old && !deepEqual(old.spec, obj.spec)) {
    throw denied(
      `validation.ipaddressclaim.${IPAM}`,
      invalid(def, name, [
        { reason: 'FieldValueForbidden', field: 'spec', message: `Forbidden: IPAddressClaim spec is immutable. Diff: ${specDiff(old.spec, obj.spec)}` },
      ]),
    );
  }
}

function admitAddress(op: Operation, def: ResourceDef, store: Store, obj: Record<string, any>, old: Record<string, any> | undefined): void {
  const name = obj.metadata?.name ?? '';
  if (op === 'DELETE') return;
  const schema = schemaCauses(def, obj);
  if (schema.length) throw invalid(def, name, schema);
  const webhook = `validation.ipaddress.${IPAM}`;
  if (op === 'UPDATE') {
    if (old && !deepEqual(old.spec, obj.spec)) {
      throw denied(
        webhook,
        invalid(def, name, [
          { reason: 'FieldValueForbidden', field: 'spec', message: `Forbidden: IPAddress spec is immutable. Diff: ${specDiff(old.spec, obj.spec)}` },
        ]),
      );
    }
    return;
  }
  const spec = obj.spec;
  const causes: Cause[] = [];
  const addr = parseAddr(String(spec.address), false);
  if (!addr.ok)
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.address',
      message: `Invalid value: ${JSON.stringify(String(spec.address))}: not a valid IP address`,
    });
  const prefix = typeof spec.prefix === 'number' ? spec.prefix : 0;
  if (prefix < 0) causes.push({ reason: 'FieldValueInvalid', field: 'spec.prefix', message: `Invalid value: ${prefix}: prefix cannot be negative` });
  if (addr.ok && addr.value.family === 4 && prefix > 32)
    causes.push({ reason: 'FieldValueInvalid', field: 'spec.prefix', message: `Invalid value: ${prefix}: prefix is too large for an IPv4 address` });
  if (addr.ok && addr.value.family === 6 && prefix > 128)
    causes.push({ reason: 'FieldValueInvalid', field: 'spec.prefix', message: `Invalid value: ${prefix}: prefix is too large for an IPv6 address` });
  if (spec.gateway !== undefined && spec.gateway !== '' && !parseAddr(String(spec.gateway), false).ok) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.gateway',
      message: `Invalid value: ${JSON.stringify(String(spec.gateway))}: not a valid IP address`,
    });
  }
  const claim = store.get(claimDef(), obj.metadata?.namespace, String(spec.claimRef?.name ?? ''));
  if (claim && !deepEqual(claim.spec?.poolRef, spec.poolRef)) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.poolRef',
      message: `Invalid value: ${JSON.stringify(spec.poolRef)}: the referenced pool is different from the pool referenced by the claim this address should fulfill`,
    });
  }
  if (causes.length) throw denied(webhook, invalid(def, name, causes));
}

/** Runs the schema checks and webhooks for one operation; throws the API error to answer. */
export function admit(op: Operation, def: ResourceDef, store: Store, obj: Record<string, any>, old?: Record<string, any>): void {
  if (def.group !== IPAM) return;
  if (POOL_KINDS.has(def.kind)) admitPool(op, def, store, obj);
  else if (def.kind === 'IPAddressClaim') admitClaim(op, def, obj, old);
  else if (def.kind === 'IPAddress') admitAddress(op, def, store, obj, old);
}

export { groupKind };
