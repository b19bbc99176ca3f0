// missing-vip: the endpoint host is empty or a placeholder (`${VAR}`, Helm `{{ }}`, TODO…);
// "Allocate IP" fills it.
import { PLACEHOLDER, type Rule, finding } from './context';

export const missingVip: Rule = ({ clusters }) =>
  clusters.flatMap((c) =>
    c.places
      .filter(
        (p) =>
          (p.role === 'cluster-endpoint' || p.role === 'infra-endpoint' || p.role === 'topology-variable') && (p.templated || PLACEHOLDER.test(p.value.trim())),
      )
      // Information (it shows in Problems) when the VIP is simply missing; a hint for a template's placeholder.
      .map((p) =>
        finding(
          'missing-vip',
          p.templated ? 'hint' : 'info',
          p.value === '' ? { uri: p.uri, span: p.span } : p,
          p.templated
            ? `The control-plane VIP of cluster ${c.namespace}/${c.name} is a placeholder (${p.value}) in ${p.label}: it is filled in later, so it is not checked.`
            : `Cluster ${c.namespace}/${c.name} has no control-plane VIP yet (${p.label}).`,
        ),
      ),
  );
