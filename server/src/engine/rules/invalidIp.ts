// invalid-ip: a VIP or certSAN that is meant to be an IP but does not parse (Go netip rules).
import { parseAddr } from '../ip/addr';
import { looksLikeIp } from '../model/vipPlaces';
import { defineRule } from './rule';
import { finding } from './context';

export const invalidIp = defineRule({
  code: 'invalid-ip',
  severities: ['error'],
  summary: 'A VIP or certSAN value that is not an IP address.',
  docs: `**error** — a VIP or certSAN value that is not an IP address. Templated values (\`\${VAR}\`, Helm \`{{ }}\`)
are never reported.`,
  cluster: (c) => {
    const sites = [...c.places.map((p) => ({ site: p, what: p.label })), ...(c.certSans?.items ?? []).map((s) => ({ site: s, what: `certSANs[${s.index}]` }))];
    return sites.flatMap(({ site, what }) => {
      if (site.templated || site.value === '' || !looksLikeIp(site.value)) return [];
      const parsed = parseAddr(site.value, false);
      if (parsed.ok) return [];
      return [
        finding('invalid-ip', 'error', site, `"${site.value}" is not a valid IP address (${what}): ${parsed.error.replace(/^ParseAddr\("[^"]*"\): /, '')}`),
      ];
    });
  },
});
