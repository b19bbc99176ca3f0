// Files a hostile repository can plant, driven over stdio: a symlink to a pool outside the workspace,
// a link to /dev/zero, FIFOs. Each arrives by a watched-file event or when a document is closed; the
// server reads regular files inside the workspace only, and keeps answering.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';

const base = mkdtempSync(join(tmpdir(), 'capi-ipam-files-'));
const dir = join(base, 'ws');
const outside = join(base, 'outside');
const uri = (name: string) => pathToFileURL(join(dir, name)).toString();
const cluster = (name: string, host: string) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: ${name}
  namespace: default
spec:
  controlPlaneEndpoint:
    host: ${host}
    port: 6443
`;
let lsp: LspClient;
let markers = 0;

/**
 * Sends the changes followed by a new file with an invalid address, in one notification: the server
 * handles them in order, so once the marker's diagnostic is out, the changes before it were handled.
 */
async function changed(names: string[]): Promise<void> {
  const marker = `marker-${++markers}.yaml`;
  writeFileSync(join(dir, marker), cluster(`m${markers}`, '999.0.0.1'));
  await lsp.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [...names, marker].map((n) => ({ uri: uri(n), type: 1 })) });
  await lsp.waitForDiagnostic(uri(marker), 'invalid-ip', 10_000);
}

const poolNames = async () => (await lsp.request<{ name: string }[]>('capiIpam/pools')).map((p) => p.name).sort();

before(async () => {
  mkdirSync(dir);
  mkdirSync(outside);
  writeFileSync(
    join(outside, 'pool.yaml'),
    `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: InClusterIPPool
metadata:
  name: outside-pool
  namespace: default
spec:
  addresses: ["10.99.0.10-10.99.0.20"]
  prefix: 24
---
${cluster('outside', '999.9.9.9')}`,
  );
  writeFileSync(
    join(dir, 'inside.yaml'),
    `apiVersion: ipam.cluster.x-k8s.io/v1alpha2
kind: InClusterIPPool
metadata:
  name: inside-pool
  namespace: default
spec:
  addresses: ["10.98.0.10-10.98.0.20"]
  prefix: 24
---
${cluster('inside', '999.3.3.3')}`,
  );
  lsp = await LspClient.start({ folder: dir, settings: { offline: true } });
  await lsp.waitForState('offline');
  await lsp.waitForDiagnostic(uri('inside.yaml'), 'invalid-ip'); // the first scan is done
});

after(async () => {
  await lsp?.stop();
  rmSync(base, { recursive: true, force: true });
});

test('a watched symlink to a pool outside the workspace is not read, and the pool YAML request cannot serve it', async () => {
  symlinkSync(join(outside, 'pool.yaml'), join(dir, 'link.yaml'));
  await changed(['link.yaml']);
  assert.deepEqual(await poolNames(), ['inside-pool']);
  assert.deepEqual(lsp.diagnosticsOf(uri('link.yaml')), []);
  await assert.rejects(lsp.request('capiIpam/poolYaml', { id: 'InClusterIPPool/default/outside-pool' }), /unknown pool/);
});

test('a symlink to /dev/zero and FIFOs are refused without reading; later reads still happen', async () => {
  symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
  const fifos = ['f1.yaml', 'f2.yaml', 'f3.yaml', 'f4.yaml', 'f5.yaml'];
  for (const f of fifos) assert.equal(spawnSync('mkfifo', [join(dir, f)]).status, 0);
  await changed(['zero.yaml', ...fifos]);
  await changed(['inside.yaml']); // still reading
  assert.deepEqual(await poolNames(), ['inside-pool']);
  for (const f of ['zero.yaml', ...fifos]) assert.deepEqual(lsp.diagnosticsOf(uri(f)), [], f);
});

test('a document closed in the editor is re-read only if it is a regular file inside the workspace', async () => {
  symlinkSync(join(outside, 'pool.yaml'), join(dir, 'closed.yaml'));
  const closed = uri('closed.yaml');
  lsp.open(closed, cluster('edited', '999.1.1.1'));
  await lsp.waitForDiagnostic(closed, 'invalid-ip');
  lsp.close(closed);
  await lsp.waitFor(() => lsp.diagnostics.get(closed)?.length === 0, 10_000, 'the closed link dropped, not re-read through the link');
  assert.deepEqual(await poolNames(), ['inside-pool']);
});

test('a regular file inside the workspace, also through a symlink that stays inside, is read', async () => {
  writeFileSync(join(dir, 'real.yaml'), cluster('real', '999.2.2.2'));
  // The link's target is no YAML file of its own (the same cluster twice would be one cluster).
  writeFileSync(join(dir, 'target.txt'), cluster('aliased', '999.3.3.3'));
  symlinkSync(join(dir, 'target.txt'), join(dir, 'alias.yaml'));
  await changed(['real.yaml', 'alias.yaml']);
  assert.equal(lsp.diagnosticsOf(uri('real.yaml'), 'invalid-ip').length, 1);
  assert.equal(lsp.diagnosticsOf(uri('alias.yaml'), 'invalid-ip').length, 1);
});
