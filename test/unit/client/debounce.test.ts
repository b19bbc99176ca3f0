import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { debounce } from '../../../client/src/debounce';

// Mocked timers: the delays are exact and no test waits on the clock.
describe('debounce', () => {
  test('a burst of calls runs the action once, after the quiet delay', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let runs = 0;
    const refresh = debounce(() => runs++, 20);
    refresh();
    t.mock.timers.tick(15);
    refresh();
    t.mock.timers.tick(15);
    refresh();
    assert.equal(runs, 0);
    t.mock.timers.tick(19);
    assert.equal(runs, 0, 'each call restarts the quiet delay');
    t.mock.timers.tick(1);
    assert.equal(runs, 1);
    t.mock.timers.tick(1000);
    assert.equal(runs, 1);
  });

  test('flush runs a pending call immediately and only once', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let runs = 0;
    const refresh = debounce(() => runs++, 1000);
    refresh();
    refresh.flush();
    assert.equal(runs, 1);
    refresh.flush();
    t.mock.timers.tick(1000);
    assert.equal(runs, 1);
  });

  test('cancel drops the pending call', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let runs = 0;
    const refresh = debounce(() => runs++, 10);
    refresh();
    refresh.cancel();
    t.mock.timers.tick(1000);
    assert.equal(runs, 0);
  });
});
