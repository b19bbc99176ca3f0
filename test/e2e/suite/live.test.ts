// Live run only: the views and the status against the sandbox management cluster, which the tests
// change through the launcher's control endpoint.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CapiIpamApi } from '../../../client/src/extension';
import { api, expectedMode, sandbox, waitFor } from './helpers';

interface PoolRef {
  kind: string;
  namespace?: string;
  name: string;
}

async function poolLabels(capi: CapiIpamApi): Promise<string[]> {
  const roots = await capi.trees.pools.getChildren();
  return roots.map((node) => {
    const label = capi.trees.pools.getTreeItem(node).label;
    return typeof label === 'string' ? label : (label?.label ?? '');
  });
}

const shows = (labels: string[], pool: PoolRef) => labels.some((label) => label.includes(pool.namespace ? `${pool.namespace}/${pool.name}` : pool.name));

if (expectedMode() === 'live') {
  describe('live: sandbox management cluster', () => {
    let capi: CapiIpamApi;

    before(async () => {
      capi = await api();
      await waitFor(() => capi.connection().state === 'connected', 20_000, 'state connected', () => JSON.stringify(capi.connection()));
    });

    it("lists the sandbox's pools in the Pools view", async () => {
      const pools = await sandbox<PoolRef[]>('GET', '/pools');
      assert.ok(pools.length > 0, 'the sandbox holds pools');
      let labels: string[] = [];
      const deadline = Date.now() + 20_000;
      for (;;) {
        labels = await poolLabels(capi);
        if (pools.every((pool) => shows(labels, pool))) break;
        if (Date.now() > deadline) assert.fail(`the Pools view shows ${labels.join(', ')}; expected every sandbox pool: ${pools.map((p) => p.name).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });

    it('shows a pool created in the sandbox without a manual refresh', async () => {
      const pool = await sandbox<PoolRef>('POST', '/create', {
        apiVersion: 'ipam.cluster.x-k8s.io/v1alpha2',
        kind: 'GlobalInClusterIPPool',
        metadata: { name: 'e2e-new-pool' },
        spec: { addresses: ['10.99.0.10-10.99.0.20'], prefix: 24, gateway: '10.99.0.1' },
      });
      const deadline = Date.now() + 20_000;
      for (;;) {
        const labels = await poolLabels(capi);
        if (shows(labels, pool)) break;
        if (Date.now() > deadline) assert.fail(`the Pools view never showed ${pool.name}: ${labels.join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });

    it('follows a restart of the management cluster: unreachable, then connected again', async () => {
      await sandbox('POST', '/stop');
      try {
        await waitFor(() => capi.connection().state === 'unreachable', 30_000, 'state unreachable after the API server stopped', () => JSON.stringify(capi.connection()));
      } finally {
        await sandbox('POST', '/start');
      }
      await waitFor(() => capi.connection().state === 'connected', 30_000, 'state connected after the API server came back', () => JSON.stringify(capi.connection()));
      assert.ok(vscode.workspace.isTrusted);
    });
  });
}
