// The claim file written into a chart or an overlay after an allocation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimFileEdits } from '../../../server/src/render/claim';
import { applyEdits } from '../../../server/src/engine/edits';
import type { WorkloadCluster } from '../../../server/src/engine/model/types';

const cluster = {
  name: 'wl',
  namespace: 'clusters',
  anchor: { uri: 'r', span: { start: 0, end: 0 } },
  places: [],
  podCidrs: [],
  serviceCidrs: [],
  uris: ['r'],
  claimNames: [],
} as WorkloadCluster;
const pool = { kind: 'InClusterIPPool', name: 'vips' };
const opts = { clusterExists: false };
const id = (p: string) => p;

test('overlay: a new file listed at the end of the kustomization resources, in its indentation', () => {
  const k = 'resources:\n    - ../../base\npatches:\n  - path: p.yaml\n';
  const files = new Map([
    ['ov/kustomization.yaml', k],
    ['ov/wl-control-plane-vip.yaml', ''],
  ]);
  const edits = claimFileEdits({ dir: 'ov', kustomization: 'ov/kustomization.yaml' }, cluster, pool, opts, id, (u) => files.get(u) ?? '');
  const out = applyEdits(files, edits);
  assert.equal(out.get('ov/kustomization.yaml'), 'resources:\n    - ../../base\n    - wl-control-plane-vip.yaml\npatches:\n  - path: p.yaml\n');
  assert.match(
    out.get('ov/wl-control-plane-vip.yaml')!,
    /^apiVersion: ipam\.cluster\.x-k8s\.io\/v1beta2\nkind: IPAddressClaim\nmetadata:\n  name: wl-control-plane-vip\n  namespace: clusters\n/,
  );
});

test('overlay without resources gets the key; an existing claim file is left alone; a chart gets templates/<claim>.yaml', () => {
  const k = 'patches: []';
  const files = new Map([
    ['ov/kustomization.yaml', k],
    ['ov/wl-control-plane-vip.yaml', ''],
  ]);
  const out = applyEdits(
    files,
    claimFileEdits({ dir: 'ov', kustomization: 'ov/kustomization.yaml' }, cluster, pool, opts, id, (u) => files.get(u) ?? ''),
  );
  assert.equal(out.get('ov/kustomization.yaml'), 'patches: []\nresources:\n  - wl-control-plane-vip.yaml\n');
  assert.deepEqual(
    claimFileEdits({ dir: 'ov' }, cluster, pool, opts, id, () => 'kind: IPAddressClaim\n'),
    [],
  );
  const chart = claimFileEdits({ dir: 'c/templates' }, cluster, pool, opts, id, () => '');
  assert.deepEqual(
    chart.map((e) => [e.uri, e.span]),
    [['c/templates/wl-control-plane-vip.yaml', { start: 0, end: 0 }]],
  );
});
