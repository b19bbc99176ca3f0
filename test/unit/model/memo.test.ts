// The engine's two kinds of cache (engine/memo.ts): per object, and bounded per string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bounded, perObject, perObjectWith } from '../../../server/src/engine/memo';
import { canonical } from '../../../server/src/engine/ip/addr';
import { Workspace } from '../../../server/src/engine/workspace';

test('perObject computes once per key object, undefined results included', () => {
  const calls: object[] = [];
  const f = perObject((k: { n: number }, extra: string) => {
    calls.push(k);
    return k.n > 0 ? `${extra}${k.n}` : undefined;
  });
  const a = { n: 1 };
  const b = { n: 0 };
  assert.equal(f(a, 'x'), 'x1');
  assert.equal(f(a, 'ignored: the key decides'), 'x1');
  assert.equal(f(b, 'x'), undefined);
  assert.equal(f(b, 'x'), undefined);
  assert.deepEqual(calls, [a, b]);
});

test('perObjectWith makes the value again when an input is not identical', () => {
  let made = 0;
  const f = perObjectWith<object, number>();
  const key = {};
  const value = (inputs: unknown[]) => f(key, inputs, () => ++made);
  assert.equal(value(['a', 1]), 1);
  assert.equal(value(['a', 1]), 1);
  assert.equal(value(['b', 1]), 2);
  assert.equal(value(['b', 1, 'more']), 3);
  assert.equal(value(['b', 1, 'more']), 3);
});

test('bounded keeps at most `limit` entries, and answers the same after it empties', () => {
  let calls = 0;
  const f = bounded(3, (s) => {
    calls++;
    return s.length;
  });
  for (const s of ['a', 'bb', 'ccc']) f(s);
  assert.equal(f('bb'), 2);
  assert.equal(calls, 3);
  assert.equal(f('dddd'), 4); // the table was full: emptied, then this one kept
  assert.equal(calls, 4);
  assert.equal(f('a'), 1);
  assert.equal(calls, 5);
});

test('canonical addresses are the same whatever was asked before (bounded table)', () => {
  for (let i = 0; i < 100_050; i++) canonical(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  assert.equal(canonical('010.0.0.1'), undefined);
  assert.equal(canonical('fd00:0:0::1'), 'fd00::1');
  assert.equal(canonical('10.0.0.1'), '10.0.0.1');
});

test('an unchanged document keeps its clusters across analyses; a changed one is made again', () => {
  const cluster = (host: string) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: c1
spec:
  controlPlaneEndpoint:
    host: ${host}
`;
  const ws = new Workspace();
  ws.setFile('file:///a.yaml', cluster('10.0.0.1'));
  const first = ws.analyze().clusters[0];
  ws.setFile('file:///b.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
  assert.equal(ws.analyze().clusters[0], first);
  ws.setFile('file:///a.yaml', cluster('10.0.0.2'));
  const second = ws.analyze().clusters[0]!;
  assert.notEqual(second, first);
  assert.equal(second.places[0]!.value, '10.0.0.2');
});
