import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { statusText, statusTooltip } from '../../../client/src/statusText';

describe('status bar text', () => {
  test('shows context and state when a cluster is used', () => {
    assert.equal(statusText({ state: 'connected', context: 'mgmt-admin@mgmt' }), '$(server-environment) mgmt-admin@mgmt · connected');
    assert.equal(statusText({ state: 'forbidden', context: 'ro' }), '$(server-environment) ro · forbidden');
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
    assert.match(tooltip, /select a kubeconfig context/);
  });

  test('untrusted tooltip points to trust instead of contexts', () => {
    assert.match(statusTooltip({ state: 'untrusted' }), /Trust the workspace/);
  });
});
