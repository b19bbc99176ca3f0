// The e2e/demo sandbox control endpoint (test/e2e/sandbox-control.ts), as a web page guessing its
// port would meet it: no token, no answer; cross-origin, refused; and SIGTERM ends it even after
// POST /stop. Plus the demo's notice for a non-loopback URL, token checks and the kubeconfig's mode.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';
import { writeKubeconfig } from '../sandbox/kubeconfig';
import { sameSecret } from '../sandbox/secret';
import { exposureNotice } from '../e2e/demoNotice.mjs';

const TOKEN = 'control-token-for-the-test';
let child: ChildProcess;
let control: string;
let exited: Promise<number | null>;

before(async () => {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'capi-ipam-control-')), 'kubeconfig');
  child = spawn(process.execPath, ['--import', 'tsx', join('test', 'e2e', 'sandbox-control.ts'), '--kubeconfig', kubeconfig], {
    cwd: ROOT, env: { ...process.env, CAPI_IPAM_CONTROL_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  control = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /e2e-sandbox-ready (\{.*\})/.exec(out);
      if (m) resolve((JSON.parse(m[1]!) as { control: string }).control);
    });
    child.on('exit', () => reject(new Error(`sandbox-control exited: ${out}`)));
  });
});
after(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

const call = (method: string, route: string, headers: Record<string, string> = {}, body?: string) =>
  fetch(`${control}${route}`, { method, headers, body }).then(async (r) => ({ status: r.status, body: await r.text() }));
const auth = { authorization: `Bearer ${TOKEN}` };

test('without the token, or with a wrong one, the endpoint answers 401 and changes nothing', async () => {
  assert.equal((await call('GET', '/pools')).status, 401);
  assert.equal((await call('GET', '/pools', { authorization: 'Bearer wrong' })).status, 401);
  const create = await call('POST', '/create', { 'content-type': 'text/plain' }, JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'evil' } }));
  assert.equal(create.status, 401);
  const namespaces = await call('GET', '/list?kind=Namespace', auth);
  assert.equal(namespaces.status, 200);
  assert.equal(namespaces.body.includes('"evil"'), false);
});

test('a cross-origin request is refused even with the token', async () => {
  assert.equal((await call('POST', '/stop', { ...auth, origin: 'https://evil.example', 'content-type': 'text/plain' }, '{}')).status, 403);
  assert.equal((await call('GET', '/pools', { ...auth, 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.equal((await call('GET', '/pools', auth)).status, 200);
});

test('after POST /stop, SIGTERM still ends the process', async () => {
  assert.equal((await call('POST', '/stop', auth)).status, 200);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('the demo warns that a non-loopback URL is plain HTTP, and says nothing on loopback', () => {
  assert.deepEqual(exposureNotice('127.0.0.1'), []);
  assert.deepEqual(exposureNotice('0.0.0.0'), [
    '  WARNING: plain HTTP on 0.0.0.0: the connection token and the whole session travel unencrypted.',
    '  Use it only on a network you trust, or keep the default 127.0.0.1 and forward it (ssh -L).',
  ]);
});

test('token comparison: equal only for the same secret, whatever the lengths', () => {
  assert.equal(sameSecret('abc', 'abc'), true);
  assert.equal(sameSecret('abd', 'abc'), false);
  assert.equal(sameSecret('ab', 'abc'), false);
  assert.equal(sameSecret(undefined, 'abc'), false);
});

test('the sandbox kubeconfig (it holds the token) is 0600, also when it overwrites an existing 0644 file', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'capi-ipam-mode-')), 'kubeconfig');
  writeFileSync(path, 'old', { mode: 0o644 });
  writeKubeconfig(path, 'https://127.0.0.1:1', 'ca', 'token');
  assert.equal(statSync(path).mode & 0o777, 0o600);
});
