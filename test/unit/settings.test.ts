// The settings' defaults exist twice by necessity: in package.json (what VS Code shows and sends) and in
// the server (what it uses when a value is missing or of the wrong type). They must be the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_SETTINGS, readSettings } from '../../server/src/lsp/settings';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const properties: Record<string, { default: unknown }> =
  manifest.contributes.configuration.properties ?? Object.assign({}, ...manifest.contributes.configuration.map((c: { properties: object }) => c.properties));

/** package.json key → the server's value for it. */
const server: Record<string, (s: typeof DEFAULT_SETTINGS) => unknown> = {
  'capiIpam.kubeconfig': (s) => s.kubeconfig,
  'capiIpam.context': (s) => s.context,
  'capiIpam.offline': (s) => s.offline,
  'capiIpam.defaultPool': (s) => s.defaultPool,
  'capiIpam.include': (s) => s.include,
  'capiIpam.exclude': (s) => s.exclude,
  'capiIpam.topologyVariables': (s) => s.topologyVariables,
  'capiIpam.resolveHostnames': (s) => s.resolveHostnames,
  'capiIpam.allocate.timeoutSeconds': (s) => s.allocate.timeoutSeconds,
  'capiIpam.allocate.writeClaim': (s) => s.allocate.writeClaim,
  'capiIpam.requestTimeoutSeconds': (s) => s.requestTimeoutSeconds,
  'capiIpam.helm.path': (s) => s.render.helmPath,
  'capiIpam.helm.charts': (s) => s.render.charts,
  'capiIpam.kustomize.command': (s) => s.render.kustomizeCommand,
  'capiIpam.kustomize.overlays': (s) => s.render.overlays,
  'capiIpam.render.discover': (s) => s.render.discover,
  'capiIpam.managementClusters': (s) => s.managementClusters,
  'capiIpam.workloadClusters': (s) => s.workloadClusters,
  'capiIpam.maxConnections': (s) => s.maxConnections,
};
const clientOnly = new Set(['capiIpam.trace.server']);

test('every setting the server reads has the default package.json declares', () => {
  assert.deepEqual(
    Object.keys(properties)
      .filter((k) => !clientOnly.has(k))
      .sort(),
    Object.keys(server).sort(),
    'a setting is missing from this table',
  );
  for (const [key, read] of Object.entries(server)) {
    assert.deepEqual(read(DEFAULT_SETTINGS), properties[key]!.default, key);
    assert.deepEqual(read(readSettings({})), properties[key]!.default, `${key}, when the client sends nothing`);
  }
});

test('a value of the wrong type falls back to the default, not to a value of its own', () => {
  const s = readSettings({
    offline: 'yes',
    resolveHostnames: 0,
    allocate: { timeoutSeconds: -1, writeClaim: 'no' },
    render: { discover: 'no' },
    include: [1],
    managementClusters: 'prod',
    workloadClusters: 'all',
    maxConnections: 0,
  });
  assert.deepEqual(s, DEFAULT_SETTINGS);
});
