// The list counter the estate benchmark reads: lists at once, servers with a list at once, and their highs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InFlight } from '../../sandbox/inFlight';

test('counts lists and servers in flight, keeps the highest, and ends each list once', () => {
  const f = new InFlight();
  const a = f.forServer();
  const b = f.forServer();
  const a1 = a();
  const a2 = a();
  const b1 = b();
  assert.deepEqual(f.snapshot(), { lists: 3, maxLists: 3, servers: 2, maxServers: 2 });
  a1();
  a1();
  assert.deepEqual(f.snapshot(), { lists: 2, maxLists: 3, servers: 2, maxServers: 2 });
  a2();
  b1();
  assert.deepEqual(f.snapshot(), { lists: 0, maxLists: 3, servers: 0, maxServers: 2 });
});
