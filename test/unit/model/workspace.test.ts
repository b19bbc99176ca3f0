// The workspace stores texts on setFile and parses them when the analysis is next asked for, so a burst
// of keystrokes costs one parse: what it answers in between must still be the newest text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';

const BROKEN = 'kind: ConfigMap\n  bad: [\n';
const GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

test('texts set between analyses: the newest text is read, analysed and removable', () => {
  const ws = new Workspace();
  ws.setFile('file:///a.yaml', BROKEN);
  assert.deepEqual(
    ws.analyze().findings.map((f) => f.code),
    ['yaml-syntax'],
  );
  ws.setFile('file:///a.yaml', GOOD + 'x: [');
  ws.setFile('file:///a.yaml', GOOD);
  assert.equal(ws.text('file:///a.yaml'), GOOD);
  assert.deepEqual(ws.analyze().findings, []);
  ws.setFile('file:///b.yaml', BROKEN);
  assert.deepEqual(ws.uris().sort(), ['file:///a.yaml', 'file:///b.yaml']);
  ws.removeFile('file:///b.yaml');
  assert.equal(ws.text('file:///b.yaml'), undefined);
  assert.deepEqual(ws.uris(), ['file:///a.yaml']);
  assert.deepEqual(ws.analyze().findings, []);
  // Setting the same text again keeps the cached analysis.
  const before = ws.analyze();
  ws.setFile('file:///a.yaml', GOOD);
  assert.equal(ws.analyze(), before);
});
