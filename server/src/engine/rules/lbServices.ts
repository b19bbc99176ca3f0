// What the LoadBalancer rules share: the workspace Services' requested addresses, parsed once.
import { type Addr, formatAddr, parseAddr } from '../ip/addr';
import type { Inventory, LbServiceInfo } from '../model/types';
import type { Location } from '../types';

export interface RequestedIp {
  service: LbServiceInfo;
  addr: Addr;
  ip: string;
  site: Location;
}

/** Requested IPs written in the workspace (a live-only Service has no place to report on). DHCP's 0.0.0.0 / :: are not addresses. */
export function requestedIps(inventory: Inventory): RequestedIp[] {
  return inventory.services.flatMap((service) =>
    (service.requested ?? []).flatMap((r) => {
      const a = parseAddr(r.value);
      if (!r.site || !a.ok || a.value.value === 0n) return [];
      return [{ service, addr: a.value, ip: formatAddr(a.value), site: r.site }];
    }),
  );
}

export const serviceLabel = (s: LbServiceInfo) => `Service ${s.namespace}/${s.name}`;
