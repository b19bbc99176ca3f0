// Names from a hostile file reach hover markdown escaped: no image, no link, no HTML renders.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';

const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-md-'));
const file = join(dir, 'evil.yaml');
const uri = pathToFileURL(file).toString();
const text = `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: GlobalInClusterIPPool
metadata:
  name: "![x](https://evil.example/x.png)"
spec:
  addresses: ["10.7.0.10-10.7.0.20"]
  prefix: 24
  gateway: 10.7.0.1
---
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: "[click](https://evil.example)"
  namespace: "<b>ns</b>"
spec:
  controlPlaneEndpoint:
    host: 10.7.0.11
    port: 6443
---
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: marker
spec:
  controlPlaneEndpoint:
    host: 999.0.0.1
`;
let lsp: LspClient;

before(async () => {
  writeFileSync(file, text);
  lsp = await LspClient.start({ folder: dir, settings: { offline: true }, trusted: false });
  lsp.open(uri, text);
  await lsp.waitForDiagnostic(uri, 'invalid-ip'); // evil.yaml analysed
});
after(async () => {
  await lsp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const hoverAt = async (needle: string) => {
  const offset = text.indexOf(needle);
  const line = text.slice(0, offset).split('\n').length - 1;
  const character = offset - text.lastIndexOf('\n', offset - 1) - 1;
  return ((await lsp.hover(uri, { line, character }))?.contents as { value: string }).value;
};

test('hover on a VIP escapes the pool and cluster names (untrusted workspace)', async () => {
  assert.equal(
    await hoverAt('10.7.0.11'),
    [
      '**10.7.0.11** — Cluster \\[click\\]\\(https\\://evil.example\\) .spec.controlPlaneEndpoint.host',
      '',
      'Pool **GlobalInClusterIPPool \\!\\[x\\]\\(https\\://evil.example/x.png\\)** (workspace): 1 used of 11, 10 free, next free 10.7.0.10',
      '- held by VIP of \\<b\\>ns\\</b\\>/\\[click\\]\\(https\\://evil.example\\) \\(no claim\\)',
      'VIP of cluster **\\<b\\>ns\\</b\\>/\\[click\\]\\(https\\://evil.example\\)**',
    ].join('\n\n'),
  );
});

test('hover on a pool entry and on its gateway escapes the pool name', async () => {
  assert.equal(
    await hoverAt('10.7.0.10-'),
    '**10.7.0.10-10.7.0.20** — 11 address(es) of GlobalInClusterIPPool \\!\\[x\\]\\(https\\://evil.example/x.png\\)\n\nPool: 1 used of 11, 10 free, next free 10.7.0.10',
  );
  assert.equal(await hoverAt('10.7.0.1\n'), '**10.7.0.1** — gateway of GlobalInClusterIPPool \\!\\[x\\]\\(https\\://evil.example/x.png\\): never allocated');
});
