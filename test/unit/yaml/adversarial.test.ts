// Adversarial input gets one clear diagnostic, never a crash or an engine's internal error text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';

const findings = (text: string) => {
  const ws = new Workspace();
  ws.setFile('f.yaml', text);
  return ws.analyze().findings;
};

test('1,000-level nesting (flow and block): one yaml-syntax error that says the nesting is too deep', () => {
  const flow = `a: ${'['.repeat(1000)}${']'.repeat(1000)}\n`;
  const block = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n';
  for (const text of [flow, block]) {
    const fs = findings(text);
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.code, 'yaml-syntax');
    assert.equal(fs[0]!.message, 'YAML syntax error: collections are nested too deeply to read (hundreds of levels)');
  }
  // A document after the deep one is still checked.
  const after = findings(
    `${flow}---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: a\nspec:\n  controlPlaneEndpoint:\n    host: 10.0.0.300\n`,
  );
  assert.deepEqual(
    after.map((f) => f.code),
    ['yaml-syntax', 'invalid-ip'],
  );
});
