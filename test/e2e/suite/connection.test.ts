// The connection state the status bar shows, as reported through the API's connection().
import * as assert from 'assert';
import { api, expectedMode, waitFor } from './helpers';

describe('connection state', () => {
  if (expectedMode() === 'trusted') {
    it('reports offline when there is no kubeconfig', async () => {
      const capi = await api();
      const state = await waitFor(() => (capi.connection().state === 'offline' ? capi.connection() : undefined), 20_000, 'state offline', () =>
        JSON.stringify(capi.connection()),
      );
      assert.strictEqual(state.state, 'offline');
    });
  } else if (expectedMode() === 'live') {
    it('connects to the sandbox management cluster named by $KUBECONFIG', async () => {
      const capi = await api();
      const state = await waitFor(() => (capi.connection().state === 'connected' ? capi.connection() : undefined), 20_000, 'state connected', () =>
        JSON.stringify(capi.connection()),
      );
      assert.strictEqual(state.context, 'sandbox', 'the state names the kubeconfig context');
    });
  } else {
    it('reports untrusted from the start', async () => {
      const capi = await api();
      assert.strictEqual(capi.connection().state, 'untrusted');
    });
  }
});
