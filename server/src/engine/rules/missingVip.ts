// missing-vip: the endpoint host is empty or a placeholder (`${VAR}`, Helm `{{ }}`, TODO…);
// "Allocate IP" fills it, and so does the address the cluster's claim already holds.
import { clusterVip } from '../model/clusterVip';
import { isMissingVip } from '../model/vipPlaces';
import { vipEdits } from '../edits';
import { defineRule } from './rule';
import { finding, relatedAt } from './context';

export const missingVip = defineRule({
  code: 'missing-vip',
  severities: ['info', 'hint'],
  summary: 'The control-plane endpoint host is empty, a placeholder or a template.',
  docs: `**information** (a **hint** for a template's placeholder) — the endpoint host is empty, a placeholder (\`TODO\`, \`<…>\`, \`0.0.0.0\`) or a template (\`\${CONTROL_PLANE_ENDPOINT_IP}\`,
Helm \`{{ }}\`, filled in later and therefore not checked); *Allocate IP from pool …* (live) or *Use next free address
of pool …* (offline) fills every place.`,
  // One finding per cluster (per kind: missing, templated) at its main place, the other places related:
  // an empty VIP written in the Cluster and the VSphereCluster is one problem.
  cluster: (c) =>
    [false, true].flatMap((templated) => {
      const [main, ...others] = c.places.filter((p) => isMissingVip(p) && p.templated === templated);
      if (!main) return [];
      return [
        finding(
          'missing-vip',
          templated ? 'hint' : 'info',
          main,
          templated
            ? `The control-plane VIP of cluster ${c.namespace}/${c.name} is a placeholder (${main.value}) in ${main.label}: it is filled in later, so it is not checked.`
            : `Cluster ${c.namespace}/${c.name} has no control-plane VIP yet (${main.label}).`,
          others.map((p) => relatedAt(p, `${p.label}: ${p.value === '' ? 'empty' : p.value}`)),
        ),
      ];
    }),
  // A cleared place gets back the address the cluster's claim holds (vip-mismatch offers it when places disagree).
  fixes: (ctx, mine, c) => {
    const held = c && clusterVip(ctx, c).held;
    if (!c || !held || mine.length === 0 || ctx.findings.some((f) => f.code === 'vip-mismatch')) return [];
    return [
      {
        title: `Use ${held.address}, the address IPAddressClaim ${held.namespace}/${held.name} holds`,
        kind: 'quickfix',
        resolves: mine,
        edits: vipEdits(c, held.address),
        preferred: true,
      },
    ];
  },
  resolvedByNewAddress: true,
});
