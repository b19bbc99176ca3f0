import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releasePrompt } from '../../../client/src/commands/releasePrompt';

const target = { claim: { namespace: 'team-b', name: 'prod-node-0' }, uid: 'u-1', address: '10.10.0.31', pool: 'GlobalInClusterIPPool nodes', cluster: 'prod' };

test('the Release VIP prompt names exactly the claim that will be deleted and what it frees', () => {
  assert.deepEqual(releasePrompt({ ...target, ours: true }), {
    message: 'Release 10.10.0.31 (IPAddressClaim team-b/prod-node-0)?',
    detail: [
      'This deletes exactly one object:',
      'IPAddressClaim team-b/prod-node-0 (uid u-1)',
      'Holds address 10.10.0.31, pool GlobalInClusterIPPool nodes, cluster prod.',
      'The address becomes free: the next allocation can hand it to another cluster.',
    ].join('\n'),
    confirm: 'Release team-b/prod-node-0',
  });
});

test('a claim capi-ipam did not create is confirmed by a button that names it, after a warning', () => {
  const p = releasePrompt({ ...target, ours: false });
  assert.equal(p.confirm, 'Delete team-b/prod-node-0 (not created by CAPI IPAM)');
  assert.match(p.detail, /\n\nCAPI IPAM did not create this claim \(no capi-ipam\.dev\/created-by annotation\)/);
});
