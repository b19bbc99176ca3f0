// Work bounded by ranges, not by addresses or input size: the pool map of a /16 and of an IPv6 /64
// (computed on RangeSets, never enumerated) and the pool ranking over adversarial machine templates.
// The unit tests check what these answer; how long they take is measured here, on an idle machine.
import { Workspace } from '../server/src/engine/workspace';
import { poolMap } from '../server/src/engine/features/poolMap';
import { rankPools } from '../server/src/engine/ranking';
import { load, machine, median, writeSection } from './report';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const loads = [load()];

function time(fn: () => void): number {
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const pool = (name: string, addresses: string, prefix: number, extra = '') =>
  `apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: GlobalInClusterIPPool\nmetadata:\n  name: ${name}\nspec:\n  addresses: [${addresses}]\n  prefix: ${prefix}\n${extra}---\n`;
const cluster = (name: string, host: string) =>
  `apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  controlPlaneEndpoint:\n    host: "${host}"\n---\n`;

function mapOf(text: string, name: string, block?: string) {
  const ws = new Workspace();
  ws.setFile('file:///w/p.yaml', text);
  const a = ws.analyze();
  return poolMap(
    a.inventory.pools.find((p) => p.name === name)!,
    a,
    block,
  );
}

const rows: [string, string, string][] = [];
const budget = (x: number, limit: number) => `≤ ${limit} ms: ${x <= limit ? 'met' : 'NOT met'}`;

const v4 = pool('big', '"10.1.0.0/16"', 16, '  gateway: 10.1.0.1\n') + cluster('a', '10.1.5.7');
const blocks = time(() => void mapOf(v4, 'big'));
const zoom = time(() => void mapOf(v4, 'big', '10.1.5.0/24'));
rows.push(['pool map of a /16: 256 blocks of /24 with counts (parse included)', `${blocks.toFixed(1)} ms`, budget(blocks, 2000)]);
rows.push(['same, zoomed into one /24', `${zoom.toFixed(1)} ms`, budget(zoom, 2000)]);
const v6 = pool('v6', '"fd00:10::/64"', 64, '  gateway: fd00:10::1\n') + cluster('a', 'fd00:10::5:7');
const six = time(() => void mapOf(v6, 'v6'));
rows.push(['pool map of an IPv6 /64: only the blocks that hold something', `${six.toFixed(1)} ms`, budget(six, 2000)]);

const template = (name: string, spec: string) =>
  `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: VSphereMachineTemplate\nmetadata:\n  name: ${name}\nspec: ${spec}\n---\n`;
const adversarial = [
  pool('vip-pool', '"10.0.0.10-10.0.0.50"', 24),
  template('deep', `${'['.repeat(500)}${']'.repeat(500)}`),
  template('wide', `\n  items: [${Array.from({ length: 50_000 }, (_, i) => i).join(',')}]`),
  cluster('new', ''),
].join('');
const rank = time(() => {
  const ws = new Workspace();
  ws.setFile('file:///w/t.yaml', adversarial);
  const a = ws.analyze();
  rankPools(
    a,
    a.clusters.find((c) => c.name === 'new')!,
  );
});
rows.push(['pool ranking with a 500-deep and a 50,000-item machine template (parse included)', `${rank.toFixed(1)} ms`, budget(rank, 5000)]);

loads.push(load());
const table = ['| measurement | median | target |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const body = `\`bench/bounds.ts\`, medians of ${RUNS} runs, in-process engine.
Machine: ${machine()}; load average ${loads.join(' → ')} (start → end). Date: ${new Date().toISOString().slice(0, 10)}.

${table}
`;
writeSection('## Bounded work', body);
process.stdout.write(body);
