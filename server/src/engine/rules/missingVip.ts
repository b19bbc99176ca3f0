// missing-vip: the endpoint host is empty or a placeholder; "Allocate IP" fills it.
import { type Rule, finding } from './context';

const PLACEHOLDER = /^(|todo|tbd|changeme|change-me|x\.x\.x\.x|<.*>|0\.0\.0\.0|::)$/i;

export const missingVip: Rule = ({ clusters }) =>
  clusters.flatMap((c) =>
    c.places
      .filter((p) => (p.role === 'cluster-endpoint' || p.role === 'infra-endpoint' || p.role === 'topology-variable') && !p.templated && PLACEHOLDER.test(p.value.trim()))
      .map((p) => finding('missing-vip', 'hint', p.value === '' ? { uri: p.uri, span: p.span } : p, `Cluster ${c.namespace}/${c.name} has no control-plane VIP yet (${p.label}).`)),
  );
