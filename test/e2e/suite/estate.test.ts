// Live runs only: the Estate view in the real workbench. The launcher's management cluster (seeded with
// test/fixtures/demo) has the workload cluster default/prod on an API server of its own
// (test/fixtures/demo-workloads/prod) with CAPI's `prod-kubeconfig` Secret; the test turns the secrets
// route on, reads the tree's exact labels, and changes prod's Services through its own API server.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CapiIpamApi } from '../../../client/src/extension';
import type { EstateNodeItem } from '../../../client/src/trees/estateTree';
import { api, backend, expectedMode, whenChanged, workloadApiServer, workloadCluster } from './helpers';

const labelOf = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

/** The whole tree as indented `label — description` lines, every node expanded. */
async function render(capi: CapiIpamApi): Promise<string[]> {
  const tree = capi.trees.estate;
  const lines: string[] = [];
  const walk = async (nodes: EstateNodeItem[], depth: number): Promise<void> => {
    for (const node of nodes) {
      const item = tree.getTreeItem(node);
      lines.push(`${'  '.repeat(depth)}${labelOf(item)}${item.description ? ` — ${String(item.description)}` : ''}`);
      await walk(await tree.getChildren(node), depth + 1);
    }
  };
  await walk(await tree.getChildren(), 0);
  return lines;
}

if (expectedMode() === 'live') {
  describe(`live: the Estate view (${backend()})`, () => {
    const management = backend() === 'real' ? 'realstack' : 'sandbox';
    let capi: CapiIpamApi;
    const settings = () => vscode.workspace.getConfiguration('capiIpam');

    before(async () => {
      capi = await api();
      await settings().update('workloadClusters', 'secrets', vscode.ConfigurationTarget.Workspace);
    });
    after(async () => {
      await settings().update('workloadClusters', undefined, vscode.ConfigurationTarget.Workspace);
    });

    /** Waits until the rendered tree equals `expected` (re-read on every estate change), then returns it. */
    const treeBecomes = async (expected: string[], what: string) => {
      let last: string[] = [];
      return whenChanged(
        capi,
        async () => {
          last = await render(capi);
          return JSON.stringify(last) === JSON.stringify(expected) ? last : undefined;
        },
        60_000,
        what,
        () => `\n${last.join('\n')}`,
      );
    };

    /** The tree with prod's LoadBalancer Services (`name — address` lines), its range's usage line and its state. */
    const tree = (services: string[], range: string, prodState = 'live') => [
      `${management} — live · 4 workload clusters`,
      '  default/dev — off · VIP 10.10.0.30',
      '    VIP 10.10.0.30',
      '  default/edge — off · VIP 10.10.0.40',
      '    VIP 10.10.0.40',
      `  default/prod — ${prodState} · VIP 10.10.0.20`,
      '    VIP 10.10.0.20 — on prod-cp-1',
      '    Nodes — 2',
      '      prod-cp-1 — 10.10.5.11',
      '      prod-md-1 — 10.10.5.21',
      `    Load balancers — ${services.length}`,
      ...services.map((line) => `      ${line}`),
      '    kube-vip ranges — 1',
      `      10.10.6.10-10.10.6.20 — global · ${range}`,
      '  lab/lab — off',
    ];

    it('shows the management cluster, its workload clusters, and prod read through its Secret: VIP and holder, nodes, Services, kube-vip range', async () => {
      await treeBecomes(tree(['default/web — 10.10.6.10'], '▰▱▱▱▱ 9% · 1/11'), 'the Estate view with prod live');
      // Copy Address (the items' context menu) on prod's VIP and on a node: the address each carries.
      const estate = capi.trees.estate;
      const prodItem = (await estate.getChildren((await estate.getChildren())[0])).find((n) => labelOf(estate.getTreeItem(n)) === 'default/prod')!;
      const [vip, nodes] = await estate.getChildren(prodItem);
      assert.strictEqual(await vscode.commands.executeCommand('capiIpam.copyAddress', vip), '10.10.0.20');
      const [node] = await estate.getChildren(nodes);
      assert.strictEqual(await vscode.commands.executeCommand('capiIpam.copyAddress', node), '10.10.5.11');
      assert.strictEqual(await vscode.env.clipboard.readText(), '10.10.5.11');
    });

    it('follows a Service created in prod (its own API server) and its deletion', async function () {
      this.timeout(150_000);
      const prod = workloadCluster('prod');
      const created = await prod.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'extra', namespace: 'default' },
        spec: { type: 'LoadBalancer', ports: [{ port: 8080 }] },
      });
      assert.strictEqual(created.status, 201, JSON.stringify(created.body));
      try {
        await treeBecomes(
          tree(['default/extra — 10.10.6.11', 'default/web — 10.10.6.10'], '▰▱▱▱▱ 18% · 2/11'),
          "the Estate view with the Service kube-vip's cloud provider gave an address",
        );
      } finally {
        const deleted = await prod.delete('v1', 'Service', 'default', 'extra');
        assert.strictEqual(deleted.status, 200, JSON.stringify(deleted.body));
      }
      await treeBecomes(tree(['default/web — 10.10.6.10'], '▰▱▱▱▱ 9% · 1/11'), 'the Estate view after the deletion');
    });

    it('lists a live-only collision under Findings: a prod Service pinned to a node address of prod', async function () {
      this.timeout(150_000);
      const prod = workloadCluster('prod');
      const created = await prod.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'clash', namespace: 'default', annotations: { 'kube-vip.io/loadbalancerIPs': '10.10.5.21' } },
        spec: { type: 'LoadBalancer', ports: [{ port: 9000 }] },
      });
      assert.strictEqual(created.status, 201, JSON.stringify(created.body));
      try {
        await treeBecomes(
          [
            ...tree(['default/clash — 10.10.5.21', 'default/web — 10.10.6.10'], '▰▱▱▱▱ 9% · 1/11'),
            'Findings — 1',
            `  10.10.5.21, the load-balancer IP of Service default/clash in cluster default/prod, is also the InternalIP address of Node prod-md-1 in cluster default/prod of management cluster ${management}. — service-ip-in-estate`,
          ],
          'the finding under Findings',
        );
      } finally {
        const deleted = await prod.delete('v1', 'Service', 'default', 'clash');
        assert.strictEqual(deleted.status, 200, JSON.stringify(deleted.body));
      }
      await treeBecomes(tree(['default/web — 10.10.6.10'], '▰▱▱▱▱ 9% · 1/11'), 'no finding once the Service is gone');
    });

    it('shows prod cached while its API server is down, the others as they were, and live again once it is back', async function () {
      this.timeout(150_000);
      await workloadApiServer('prod', 'stop');
      try {
        // What was last listed stays, marked with its age.
        await treeBecomes(tree(['default/web — 10.10.6.10'], '▰▱▱▱▱ 9% · 1/11', 'cached, 0 min ago'), 'prod cached');
      } finally {
        await workloadApiServer('prod', 'start');
      }
      await treeBecomes(tree(['default/web — 10.10.6.10'], '▰▱▱▱▱ 9% · 1/11'), 'prod live again');
    });

    it('explains an off workload cluster in its tooltip (no Secret), naming no credential', async () => {
      const roots = await capi.trees.estate.getChildren();
      const clusters = await capi.trees.estate.getChildren(roots[0]);
      const dev = clusters.map((n) => capi.trees.estate.getTreeItem(n)).find((i) => labelOf(i) === 'default/dev');
      assert.ok(dev, 'default/dev is listed');
      assert.match(String(dev.tooltip), /^Workload cluster default\/dev: off \(.*dev-kubeconfig.*\)$/s);
    });
  });
}
