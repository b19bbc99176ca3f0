// The data of the pool map: a pool's addresses as a grid coloured by state, or — for a /16, an
// IPv6 pool or anything over MAX_CELLS addresses — one row per block of 256 (a /24 in IPv4) with
// counts, computed on RangeSets (a block is never enumerated). Zooming into a block gives its grid.
import { type Family, formatAddr, parseAddr } from '../ip/addr';
import { freeSet } from '../ip/pool';
import { RangeSet } from '../ip/range-set';
import type { Inventory, PoolInfo, WorkloadCluster } from '../model/types';
import { inEntry, poolLabel } from '../model/pools';
import { poolUsage } from './usage';
import { estateHolders } from '../rules/estateIndex';

export type CellState = 'free' | 'allocated' | 'reserved' | 'gateway' | 'excluded' | 'kubevip' | 'service' | 'node' | 'outside';

export interface MapCell {
  address: string;
  state: CellState;
  /** Who or what: "cluster default/prod · claim prod-control-plane-vip", "network address"… */
  detail: string;
}

export interface MapBlock {
  /** e.g. "10.10.5.0/24"; what a zoom request names. */
  block: string;
  /** Decimal strings (IPv6 counts exceed 2^53). */
  inPool: string;
  allocated: string;
  free: string;
  reserved: string;
}

export interface PoolMapData {
  title: string;
  mode: 'addresses' | 'blocks';
  /** Address mode: rows of 16 cells. */
  rows: { label: string; cells: MapCell[] }[];
  /** Block mode: blocks with something in them (all of them up to a /16). */
  blocks: MapBlock[];
  /** The zoomed block, if any. */
  zoom?: string;
  note?: string;
}

const MAX_CELLS = 1024;
const ROW = 16n;
const BLOCK_BITS = 8n;
const MAX_BLOCKS = 256;

type Ctx = { inventory: Inventory; clusters: WorkloadCluster[] };

export function poolMap(pool: PoolInfo, a: Ctx, zoom?: string): PoolMapData {
  const an = pool.analysis;
  const title = poolLabel(pool);
  if (an.family === undefined || an.addresses.isEmpty) return { title, mode: 'addresses', rows: [], blocks: [], note: 'The pool has no valid address.' };
  const fam = an.family;
  const fmt = (value: bigint) => formatAddr({ family: fam, value });
  const usage = poolUsage(pool, a.inventory, a.clusters);
  const users = new Map(usage.users.map((u) => [u.address, u]));
  const free = freeSet(
    an,
    usage.users.map((u) => u.address),
  );
  const span: [bigint, bigint] = [an.addresses.ranges[0]![0], an.addresses.ranges[an.addresses.ranges.length - 1]![1]];
  const window = zoom ? blockOf(zoom, fam) : span;
  if (window && window[1] - window[0] + 1n <= BigInt(MAX_CELLS)) {
    const start = window[0] - (window[0] % ROW);
    const rows: PoolMapData['rows'] = [];
    for (let r = start; r <= window[1]; r += ROW) {
      const cells: MapCell[] = [];
      for (let v = r; v < r + ROW; v++) cells.push(cell(pool, a, v, fmt(v), users, free));
      rows.push({ label: fmt(r), cells });
    }
    return { title, mode: 'addresses', rows, blocks: [], zoom };
  }
  // Blocks: every block of the span up to MAX_BLOCKS, else the blocks where something is used or reserved.
  const size = 1n << BLOCK_BITS;
  const firstBlock = span[0] >> BLOCK_BITS;
  const lastBlock = span[1] >> BLOCK_BITS;
  let starts: bigint[];
  let note: string | undefined;
  if (lastBlock - firstBlock < BigInt(MAX_BLOCKS)) {
    starts = [];
    for (let b = firstBlock; b <= lastBlock; b++) starts.push(b << BLOCK_BITS);
  } else {
    const points = [...users.keys()].flatMap((ip) => {
      const p = parseAddr(ip);
      return p.ok ? [p.value.value] : [];
    });
    const reserved = an.addresses.subtract(an.allocatable).ranges.map(([x]) => x);
    const firstFree = free.first();
    const set = new Set([...points, ...reserved, ...(firstFree !== undefined ? [firstFree] : [])].map((v) => (v >> BLOCK_BITS) << BLOCK_BITS));
    starts = [...set].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).slice(0, MAX_BLOCKS);
    note = `Only the blocks of ${size} addresses that hold something (and the first free one) are listed: the pool has ${an.addresses.size().toString()} addresses.`;
  }
  const used = RangeSet.ofValues(
    fam,
    [...users.keys()].flatMap((ip) => {
      const p = parseAddr(ip);
      return p.ok ? [p.value.value] : [];
    }),
  );
  const unusable = an.addresses.subtract(an.allocatable);
  const blocks = starts
    .map((s) => {
      const b = RangeSet.of(fam, [[s, s + size - 1n]]);
      return {
        block: `${fmt(s)}/${fam === 4 ? 24 : 120}`,
        inPool: an.addresses.intersect(b).size().toString(),
        allocated: used.intersect(b).intersect(an.addresses).size().toString(),
        free: free.intersect(b).size().toString(),
        reserved: unusable.intersect(b).size().toString(),
      };
    })
    .filter((b) => b.inPool !== '0');
  return { title, mode: 'blocks', rows: [], blocks, note };
}

function blockOf(zoom: string, fam: Family): [bigint, bigint] | undefined {
  const [ip, bits] = zoom.split('/');
  const p = parseAddr(ip ?? '');
  if (!p.ok || p.value.family !== fam || Number(bits) !== (fam === 4 ? 24 : 120)) return undefined;
  const start = (p.value.value >> BLOCK_BITS) << BLOCK_BITS;
  return [start, start + (1n << BLOCK_BITS) - 1n];
}

function cell(pool: PoolInfo, a: Ctx, v: bigint, address: string, users: Map<string, ReturnType<typeof poolUsage>['users'][number]>, free: RangeSet): MapCell {
  const an = pool.analysis;
  if (an.gateway?.value === v) return { address, state: 'gateway', detail: 'gateway: never allocated' };
  if (!an.addresses.contains(v)) return { address, state: 'outside', detail: 'not an address of this pool' };
  if (an.subnet && !pool.spec.allocateReservedIPAddresses && (v === an.subnet.first || (an.family === 4 && v === an.subnet.last))) {
    return {
      address,
      state: 'reserved',
      detail: `${v === an.subnet.first ? (an.family === 6 ? 'anycast' : 'network') : 'broadcast'} address: never allocated`,
    };
  }
  if (an.excluded.contains(v)) return { address, state: 'excluded', detail: 'excluded (spec.excludedAddresses)' };
  const user = users.get(address);
  if (user) {
    const claim = user.claim ? ` · IPAddressClaim ${user.namespace}/${user.claim}` : '';
    return { address, state: 'allocated', detail: `${user.cluster ? `cluster ${user.namespace}/${user.cluster}` : user.name}${claim}` };
  }
  // The estate (issue 22): a node's address or a workload cluster's Service, named with its owner.
  const held = estateHolders(a.inventory).get(address) ?? [];
  const node = held.find((h) => h.role === 'node');
  if (node) return { address, state: 'node', detail: `${node.label.replace(/^the /, '')}: not allocated by the pool, which may hand it out` };
  const service = a.inventory.services.find((s) => s.ips.some((x) => x.value === address));
  if (service) return { address, state: 'service', detail: `LoadBalancer IP of Service ${service.namespace}/${service.name}` };
  const estateService = held.find((h) => h.role === 'service');
  if (estateService) return { address, state: 'service', detail: estateService.label.replace(/^the load-balancer IP/, 'LoadBalancer IP') };
  const range = a.inventory.kubeVipRanges.find((r) => inEntry(r.entry, address));
  if (range) return { address, state: 'kubevip', detail: `in kube-vip range ${range.key} ${range.entry}: a LoadBalancer Service may get it` };
  return { address, state: free.contains(v) ? 'free' : 'allocated', detail: free.contains(v) ? 'free' : 'in use' };
}
