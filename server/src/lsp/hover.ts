// Hover on a VIP, certSAN, pool entry, Service IP or kube-vip range: pool, usage, holder, reservation.
import { canonical } from '../engine/ip/addr';
import { parseEntry } from '../engine/ip/entry';
import { inPoolAddresses, reservedReason } from '../engine/ip/pool';
import { inEntry, poolLabel } from '../engine/rules/context';
import { poolUsage } from '../engine/usage';
import type { Analysis } from '../engine/workspace';
import type { Span } from '../engine/types';

export interface HoverHit {
  span: Span;
  markdown: string;
}

function within(span: Span, offset: number) {
  return span.start <= offset && offset <= span.end;
}

/** `live`: how live pools are described, "live" or "cached, N min ago" when the cluster cannot be read. */
function describeIp(ip: string, a: Analysis, live: string): string[] {
  const lines: string[] = [];
  for (const p of a.inventory.pools.filter((q) => q.analysis.errors.length === 0)) {
    const why = reservedReason(p.analysis, p.spec, ip);
    if (!inPoolAddresses(p.analysis, ip) && !why) continue;
    const u = poolUsage(p, a.inventory, a.clusters);
    lines.push(`Pool **${poolLabel(p)}** (${p.origin ? 'workspace' : live}): ${u.status.used} used of ${u.status.total}, ${u.status.free < 0n ? 0n : u.status.free} free${u.firstFree ? `, next free ${u.firstFree}` : ''}`);
    if (why) lines.push(`- reserved: **${why}** address of this pool (never allocated)`);
    const holder = u.users.find((x) => x.address === ip);
    if (holder) lines.push(`- held by ${holder.claim ? `IPAddress ${holder.namespace}/${holder.name} (claim ${holder.claim}${holder.cluster ? ` → cluster ${holder.cluster}` : ''})` : holder.name}`);
    else if (!why) lines.push('- not allocated by the IPAM provider');
  }
  for (const s of a.inventory.services) if (s.ips.some((x) => canonical(x.value) === ip)) lines.push(`LoadBalancer IP of Service **${s.namespace}/${s.name}**`);
  for (const r of a.inventory.kubeVipRanges) if (inEntry(r.entry, ip)) lines.push(`In kube-vip range \`${r.key}\` ${r.entry}`);
  for (const c of a.clusters) {
    const place = c.places.find((p) => canonical(p.value) === ip);
    if (place) lines.push(`VIP of cluster **${c.namespace}/${c.name}**`);
  }
  for (const e of a.inventory.endpoints) if (canonical(e.host) === ip) lines.push(`Control-plane endpoint of ${e.kind} ${e.namespace}/${e.clusterName} (management cluster)`);
  if (lines.length === 0) lines.push('Not in any known pool, range or Service.');
  return lines;
}

export function hoverAt(a: Analysis, uri: string, offset: number, live = 'live'): HoverHit | undefined {
  for (const c of a.clusters) {
    for (const site of [...c.places, ...(c.certSans?.items ?? [])]) {
      if (site.uri !== uri || !within(site.span, offset)) continue;
      const ip = canonical(site.value);
      if (!ip) return undefined;
      const label = 'label' in site ? (site as { label: string }).label : 'certSAN';
      return { span: site.span, markdown: [`**${ip}** — ${label}`, '', ...describeIp(ip, a, live)].join('\n\n') };
    }
  }
  for (const p of a.inventory.pools) {
    const o = p.origin;
    if (!o || o.uri !== uri) continue;
    const i = o.addresses.findIndex((s) => within(s, offset));
    if (i >= 0) {
      const entry = p.spec.addresses[i]!;
      const e = parseEntry(entry);
      const u = poolUsage(p, a.inventory, a.clusters);
      const size = e.ok ? (e.value.last - e.value.first + 1n).toString() : 'invalid';
      return { span: o.addresses[i]!, markdown: [`**${entry}** — ${size} address(es) of ${poolLabel(p)}`, `Pool: ${u.status.used} used of ${u.status.total}, ${u.status.free < 0n ? 0n : u.status.free} free${u.firstFree ? `, next free ${u.firstFree}` : ''}`].join('\n\n') };
    }
    if (o.gateway && within(o.gateway, offset) && p.spec.gateway) return { span: o.gateway, markdown: `**${p.spec.gateway}** — gateway of ${poolLabel(p)}: never allocated` };
  }
  for (const s of a.inventory.services) {
    for (const ip of s.ips) {
      if (ip.site?.uri === uri && within(ip.site.span, offset)) {
        const c = canonical(ip.value);
        return { span: ip.site.span, markdown: [`**${ip.value}** — Service ${s.namespace}/${s.name}`, '', ...(c ? describeIp(c, a, live) : [])].join('\n\n') };
      }
    }
  }
  for (const r of a.inventory.kubeVipRanges) {
    if (r.site?.uri === uri && within(r.site.span, offset)) {
      const users = a.inventory.services.filter((s) => s.ips.some((x) => inEntry(r.entry, x.value)));
      const e = parseEntry(r.entry);
      return { span: r.site.span, markdown: `**${r.entry}** — kube-vip range \`${r.key}\` (${e.ok ? (e.value.last - e.value.first + 1n).toString() : 'invalid'} addresses), used by ${users.length ? users.map((s) => `${s.namespace}/${s.name}`).join(', ') : 'no Service'}` };
    }
  }
  return undefined;
}
