import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { allocationBlocked, statusText, statusTooltip } from '../../../client/src/statusText';

describe('status bar text', () => {
  test('shows context and state when a cluster is used', () => {
    assert.equal(statusText({ state: 'connected', context: 'mgmt-admin@mgmt' }), '$(server-environment) mgmt-admin@mgmt · connected');
    assert.equal(statusText({ state: 'forbidden', context: 'ro' }), '$(warning) ro · forbidden');
  });

  test('spins while connecting', () => {
    assert.equal(statusText({ state: 'connecting', context: 'c' }), '$(sync~spin) $(server-environment) c · connecting');
  });

  test('says offline and untrusted plainly', () => {
    assert.equal(statusText({ state: 'offline', reason: 'no cluster configured' }), '$(server-environment) offline');
    assert.match(statusText({ state: 'untrusted' }), /untrusted$/);
  });

  test('tooltip carries server URL and reason, with markdown escaped', () => {
    const tooltip = statusTooltip({ state: 'unreachable', context: 'a`b', server: 'https://10.0.0.5:6443', reason: 'connect ECONNREFUSED [x](y)' });
    assert.match(tooltip, /Server: `https:\/\/10\.0\.0\.5:6443`/);
    assert.match(tooltip, /Context: `a'b`/);
    assert.match(tooltip, /ECONNREFUSED \\\[x\\\]\\\(y\\\)/);
    assert.match(tooltip, /\[Retry now\]\(command:capiIpam\.retry\)/);
  });

  test('a cluster that cannot be read: warning icon, the age of the cache, and why allocation waits', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0);
    const state = {
      state: 'unreachable' as const,
      context: 'mgmt',
      reason: 'cannot list Service: the API server refused the connection (is it running?)',
      cachedAt: now - 7 * 60_000 - 5_000,
    };
    assert.equal(statusText(state, now), '$(warning) mgmt · unreachable · cached, 7 min ago');
    assert.match(statusTooltip(state, now), /shown are cached, 7 min ago; allocation waits for the cluster/);
    assert.equal(
      allocationBlocked(state, now),
      'Allocation needs the management cluster mgmt, which is unreachable (cannot list Service: the API server refused the connection (is it running?)). The views show data cached, 7 min ago.',
    );
    assert.equal(allocationBlocked({ state: 'connected', context: 'mgmt' }), undefined);
    assert.match(allocationBlocked({ state: 'offline' })!, /none is connected \(offline\)/);
  });

  test('untrusted tooltip points to trust instead of contexts', () => {
    assert.match(statusTooltip({ state: 'untrusted' }), /Trust the workspace/);
  });
});
