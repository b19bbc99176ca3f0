// Hover on a VIP, certSAN, pool entry, Service IP or kube-vip range: pool, usage, holder, reservation.
import { canonical } from '../ip/addr';
import { parseEntry } from '../ip/entry';
import { inPoolAddresses, reservedReason } from '../ip/pool';
import { inEntry, poolLabel } from '../model/pools';
import { poolUsage } from './usage';
import type { Analysis } from '../workspace';
import type { Span } from '../types';
import type { LbServiceInfo } from '../model/types';
import { serviceDraw } from './kubeVipUsage';
import { escapeMarkdown as md } from '../text/markdown';
import { vipHolder } from '../model/controlPlanes';
import { estateHolders } from '../rules/estateIndex';

// Every name, entry and raw value below comes from a file or the cluster: escaped (md) before it
// reaches markdown. Canonical addresses and counts are computed here and need no escaping.

export interface HoverHit {
  span: Span;
  markdown: string;
}

function within(span: Span, offset: number) {
  return span.start <= offset && offset <= span.end;
}

/** `live`: how live pools are described, "live" or "cached, N min ago" when the cluster cannot be read. */
function describeIp(ip: string, a: Analysis, live: string, self?: LbServiceInfo): string[] {
  const lines: string[] = [];
  for (const p of a.inventory.pools.filter((q) => q.analysis.errors.length === 0)) {
    const why = reservedReason(p.analysis, p.spec, ip);
    if (!inPoolAddresses(p.analysis, ip) && !why) continue;
    const u = poolUsage(p, a.inventory, a.clusters);
    lines.push(
      `Pool **${md(poolLabel(p))}** (${p.origin ? 'workspace' : live}): ${u.status.used} used of ${u.status.total}, ${u.status.free < 0n ? 0n : u.status.free} free${u.firstFree ? `, next free ${u.firstFree}` : ''}`,
    );
    if (why) lines.push(`- reserved: **${why}** address of this pool (never allocated)`);
    const holder = u.users.find((x) => x.address === ip);
    if (holder)
      lines.push(
        `- held by ${holder.claim ? `IPAddress ${md(`${holder.namespace}/${holder.name}`)} (claim ${md(holder.claim)}${holder.cluster ? ` → cluster ${md(holder.cluster)}` : ''})` : md(holder.name)}`,
      );
    else if (!why) lines.push('- not allocated by the IPAM provider');
  }
  for (const s of a.inventory.services)
    if (s !== self && s.ips.some((x) => canonical(x.value) === ip)) lines.push(`LoadBalancer IP of Service **${md(`${s.namespace}/${s.name}`)}**`);
  if (!self) for (const r of a.inventory.kubeVipRanges) if (inEntry(r.entry, ip)) lines.push(`In kube-vip range ${md(`${r.key} ${r.entry}`)}`);
  for (const c of a.clusters) {
    const place = c.places.find((p) => canonical(p.value) === ip);
    if (place) lines.push(`VIP of cluster **${md(`${c.namespace}/${c.name}`)}**`);
  }
  for (const e of a.inventory.endpoints)
    if (canonical(e.host) === ip)
      lines.push(
        `Control-plane endpoint of ${md(`${e.kind} ${e.namespace}/${e.clusterName}`)} (management cluster${e.owner?.managementCluster ? ` ${md(e.owner.managementCluster)}` : ''})`,
      );
  // The estate (issue 22): node addresses and workload clusters' Services, with their owners.
  for (const h of estateHolders(a.inventory).get(ip) ?? []) {
    if (h.role === 'service' && self && h.owner.name === self.name && h.owner.namespace === self.namespace) continue;
    if (h.role !== 'vip') lines.push(md(h.label.replace(/^the (\S)/, (_, c: string) => c.toUpperCase())));
  }
  if (lines.length === 0) lines.push(NOTHING);
  return lines;
}

const NOTHING = 'Not in any known pool, range or Service.';

/** Which kube-vip pool the Service's namespace draws from (the provider's lookup order), and whether the IP is in it. */
function drawLines(a: Analysis, s: LbServiceInfo): string[] {
  const draw = serviceDraw(a.inventory, s);
  if (!draw) return a.inventory.kubeVipConfigs?.length ? [`No kube-vip range serves namespace ${md(s.namespace)}.`] : [];
  return [`Comes from kube-vip range ${md(draw.pool)} (namespace ${md(s.namespace)})${draw.inside ? '' : ' — **outside it**'}`];
}

export function hoverAt(a: Analysis, uri: string, offset: number, live = 'live'): HoverHit | undefined {
  for (const c of a.clusters) {
    for (const site of [...c.places, ...(c.certSans?.items ?? [])]) {
      if (site.uri !== uri || !within(site.span, offset)) continue;
      const ip = canonical(site.value);
      if (!ip) return undefined;
      const label = 'label' in site ? (site as { label: string }).label : 'certSAN';
      const holder = vipHolder(c.places);
      const held = holder ? [`Held on the control-plane nodes by ${holder} (no kube-vip)`] : [];
      return { span: site.span, markdown: [`**${ip}** — ${md(label)}`, '', ...held, ...describeIp(ip, a, live)].join('\n\n') };
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
      return {
        span: o.addresses[i]!,
        markdown: [
          `**${md(entry)}** — ${size} address(es) of ${md(poolLabel(p))}`,
          `Pool: ${u.status.used} used of ${u.status.total}, ${u.status.free < 0n ? 0n : u.status.free} free${u.firstFree ? `, next free ${u.firstFree}` : ''}`,
        ].join('\n\n'),
      };
    }
    if (o.gateway && within(o.gateway, offset) && p.spec.gateway)
      return { span: o.gateway, markdown: `**${md(p.spec.gateway)}** — gateway of ${md(poolLabel(p))}: never allocated` };
  }
  for (const s of a.inventory.services) {
    for (const ip of s.ips) {
      if (ip.site?.uri === uri && within(ip.site.span, offset)) {
        const c = canonical(ip.value);
        const others = c ? describeIp(c, a, live, s) : [];
        return {
          span: ip.site.span,
          markdown: [
            `**${md(ip.value)}** — Service ${md(`${s.namespace}/${s.name}`)}`,
            ...drawLines(a, s),
            ...(others.length && others[0] !== NOTHING ? ['Also uses it:', ...others] : ['No other Service, cluster or IPAM allocation uses it.']),
          ].join('\n\n'),
        };
      }
    }
  }
  for (const r of a.inventory.kubeVipRanges) {
    if (r.site?.uri === uri && within(r.site.span, offset)) {
      const users = a.inventory.services.filter((s) => s.ips.some((x) => inEntry(r.entry, x.value)));
      const e = parseEntry(r.entry);
      return {
        span: r.site.span,
        markdown: `**${md(r.entry)}** — kube-vip range ${md(r.key)} (${e.ok ? (e.value.last - e.value.first + 1n).toString() : 'invalid'} addresses), used by ${users.length ? users.map((s) => md(`${s.namespace}/${s.name}`)).join(', ') : 'no Service'}`,
      };
    }
  }
  return undefined;
}
