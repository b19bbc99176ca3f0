// v1alpha1 pools (subnet/start/end) read as the provider's conversion webhook writes them into
// v1alpha2 (CAIP api/v1alpha1/inclusterippool_conversion.go): missing start/end default to the subnet's first+1 / last−1, prefix 0 to
// the subnet's, and `start-end` is appended to `addresses`.
import { formatAddr, prefixBounds } from './addr';
import { parseCidr } from './entry';

export interface V1alpha1Fields {
  addresses: string[];
  prefix?: number;
  subnet?: string;
  start?: string;
  end?: string;
}

export function convertV1alpha1(f: V1alpha1Fields): { addresses: string[]; prefix?: number } {
  let { start, end, prefix } = f;
  if (f.subnet) {
    const c = parseCidr(f.subnet);
    if (c.ok) {
      const family = c.value.family;
      const { first, last } = prefixBounds({ family, value: c.value.addr }, c.value.bits);
      start ??= formatAddr({ family, value: first + 1n });
      end ??= formatAddr({ family, value: last - 1n });
      if (!prefix) prefix = c.value.bits;
    }
  }
  return { addresses: start && end ? [...f.addresses, `${start}-${end}`] : [...f.addresses], prefix };
}
