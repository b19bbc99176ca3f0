import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeconfigForServer, pendingQuestion } from '../../../client/src/kubeconfigGate';

const repo = { globalValue: '/home/me/.kube/mgmt', workspaceValue: '/repo/.kube/evil-config' };

test('a kubeconfig from workspace settings is withheld from the server until the user allows it', () => {
  assert.equal(kubeconfigForServer(repo, {}), '/home/me/.kube/mgmt', "unanswered: the user's own setting");
  assert.equal(kubeconfigForServer({ workspaceValue: '/repo/k' }, {}), '', 'unanswered, no user setting: the default chain');
  assert.equal(kubeconfigForServer(repo, { '/repo/.kube/evil-config': 'deny' }), '/home/me/.kube/mgmt');
  assert.equal(kubeconfigForServer(repo, { '/repo/.kube/evil-config': 'allow' }), '/repo/.kube/evil-config');
  assert.equal(kubeconfigForServer({ workspaceFolderValue: '/repo/f' }, { '/repo/f': 'allow' }), '/repo/f');
});

test('the question is asked once per path: an answer is remembered, a new path asks again', () => {
  assert.equal(pendingQuestion(repo, {}), '/repo/.kube/evil-config');
  assert.equal(pendingQuestion(repo, { '/repo/.kube/evil-config': 'deny' }), undefined);
  assert.equal(pendingQuestion({ ...repo, workspaceValue: '/repo/other' }, { '/repo/.kube/evil-config': 'allow' }), '/repo/other');
  assert.equal(pendingQuestion({ globalValue: '/home/me/.kube/mgmt' }, {}), undefined, 'user settings never ask');
});
