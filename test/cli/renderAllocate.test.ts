// `allocate --helm` against the sandbox management cluster: the address goes into the values file,
// the IPAddressClaim into the chart's templates/, and the chart then renders consistently.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { runCli } from '../support/cli';
import { copyFixture } from '../support/workspaceCopy';
import { renderToolsOr } from '../support/renderTools';

const G = 'ipam.cluster.x-k8s.io';
const ws = copyFixture('test/fixtures/helm');
let sb: Sandbox;

const run = (args: string[]) => runCli(args, ws.dir);

before(async () => {
  sb = await startSandbox({ kubeconfig: join(mkdtempSync(join(tmpdir(), 'capi-ipam-helm-')), 'kubeconfig') });
  sb.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'clusters' } });
  sb.create({
    apiVersion: `${G}/v1alpha2`,
    kind: 'GlobalInClusterIPPool',
    metadata: { name: 'chart-vips' },
    spec: { addresses: ['10.20.0.40-10.20.0.42'], prefix: 24 },
  });
});
after(async () => {
  await sb.stop();
  ws.dispose();
});

test('allocate --helm --write-claim: values key, claim in templates/, consistent rendering', async (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const helm = ['--helm', 'vsphere-cluster', '--values', 'values-new.yaml', '--helm-path', tools.helm];
  const r = await run(['allocate', '--cluster', 'wl-new', '--pool', 'chart-vips', '--kubeconfig', sb.kubeconfigPath, '--write-claim', ...helm]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '10.20.0.40\n');
  assert.match(
    r.stderr,
    /IPAddressClaim clusters\/wl-new-control-plane-vip holds 10\.20\.0\.40; wrote it into values-new\.yaml, vsphere-cluster\/templates\/wl-new-control-plane-vip\.yaml/,
  );
  assert.match(readFileSync(join(ws.dir, 'values-new.yaml'), 'utf8'), /^    host: "10\.20\.0\.40"$/m);
  const claim = readFileSync(join(ws.dir, 'vsphere-cluster/templates/wl-new-control-plane-vip.yaml'), 'utf8');
  assert.match(claim, /^kind: IPAddressClaim\nmetadata:\n  name: wl-new-control-plane-vip\n  namespace: clusters\n/m);
  assert.match(claim, /poolRef:\n    apiGroup: ipam.cluster.x-k8s.io\n    kind: GlobalInClusterIPPool\n    name: chart-vips/);
  assert.equal(sb.get(G, 'IPAddress', 'clusters', 'wl-new-control-plane-vip')?.spec.address, '10.20.0.40');
  // Every place renders the address; the claim is part of the release.
  const check = await run(['check', ...helm, '--kubeconfig', sb.kubeconfigPath, '--format', 'json']);
  assert.equal(check.stdout, '[]\n', check.stderr);
  assert.equal(check.status, 0);
});
