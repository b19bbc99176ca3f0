import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { debounce } from '../../../client/src/debounce';

describe('debounce', () => {
  test('a burst of calls runs the action once, after the quiet delay', async () => {
    let runs = 0;
    const refresh = debounce(() => runs++, 20);
    refresh();
    refresh();
    refresh();
    assert.equal(runs, 0);
    await sleep(60);
    assert.equal(runs, 1);
  });

  test('flush runs a pending call immediately and only once', async () => {
    let runs = 0;
    const refresh = debounce(() => runs++, 1000);
    refresh();
    refresh.flush();
    assert.equal(runs, 1);
    refresh.flush();
    assert.equal(runs, 1);
  });

  test('cancel drops the pending call', async () => {
    let runs = 0;
    const refresh = debounce(() => runs++, 10);
    refresh();
    refresh.cancel();
    await sleep(40);
    assert.equal(runs, 0);
  });
});
