// v1alpha1 <-> v1alpha2 of the provider's IP pools, as its conversion webhook does it: the subnet form
// becomes an address range, and the v1alpha1 object is kept in CAPI's conversion-data annotation so
// that reading it back as v1alpha1 gives the original spec.
import { formatAddr, prefixBounds } from '../../server/src/engine/ip/addr';
import { parseCidr } from '../../server/src/engine/ip/entry';
import { isObject } from './json';

export const CONVERSION_DATA = 'cluster.x-k8s.io/conversion-data';

/** Go's json.Marshal of a map: keys sorted at every level. */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** The v1alpha1 spec with the subnet's defaults filled in, and its v1alpha2 form. */
function fromV1alpha1(spec: Record<string, any>): { filled: Record<string, any>; v2: Record<string, any> } {
  const filled = { ...spec };
  if (typeof filled.subnet === 'string' && filled.subnet) {
    const c = parseCidr(filled.subnet);
    if (c.ok) {
      const { first, last } = prefixBounds({ family: c.value.family, value: c.value.addr }, c.value.bits);
      const at = (value: bigint) => formatAddr({ family: c.value.family, value });
      if (!filled.start) filled.start = at(first + 1n);
      if (!filled.end) filled.end = at(last - 1n);
      if (!filled.prefix) filled.prefix = c.value.bits;
    }
  }
  const addresses = [...(Array.isArray(filled.addresses) ? filled.addresses : [])];
  if (filled.start && filled.end) addresses.push(`${filled.start}-${filled.end}`);
  const v2: Record<string, any> = { addresses, prefix: filled.prefix ?? 0 };
  if (filled.gateway) v2.gateway = filled.gateway;
  return { filled, v2 };
}

export function poolToV1alpha2(obj: Record<string, any>): void {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const { filled, v2 } = fromV1alpha1(spec);
  const stash = { apiVersion: obj.apiVersion, kind: obj.kind, spec: filled, status: isObject(obj.status) ? obj.status : {} };
  obj.metadata = { ...(obj.metadata ?? {}), annotations: { ...(obj.metadata?.annotations ?? {}), [CONVERSION_DATA]: sortedJson(stash) } };
  obj.spec = v2;
}

export function poolToV1alpha1(obj: Record<string, any>): void {
  const s = isObject(obj.spec) ? obj.spec : {};
  const spec: Record<string, any> = {};
  if (Array.isArray(s.addresses) && s.addresses.length) spec.addresses = s.addresses;
  if (s.prefix) spec.prefix = s.prefix;
  if (s.gateway) spec.gateway = s.gateway;
  obj.spec = spec;
  if (isObject(obj.status?.ipAddresses)) obj.status = { ...obj.status, ipAddresses: { ...obj.status.ipAddresses } };
  let restored: Record<string, any> | undefined;
  try {
    restored = JSON.parse(obj.metadata?.annotations?.[CONVERSION_DATA] ?? 'null')?.spec;
  } catch {
    /* no usable stash */
  }
  if (!isObject(restored)) return;
  if (obj.kind === 'GlobalInClusterIPPool') return void (obj.spec = restored);
  const again = fromV1alpha1(restored).v2;
  if (
    JSON.stringify(again.addresses) === JSON.stringify(s.addresses ?? []) &&
    (again.prefix ?? 0) === (s.prefix ?? 0) &&
    (again.gateway ?? '') === (s.gateway ?? '')
  )
    obj.spec = restored;
}
