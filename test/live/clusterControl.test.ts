// The e2e/demo control endpoint (test/e2e/cluster-control.ts) on each backend: an outage of the API
// server and its end (same URL and data afterwards); as a web page guessing its port would meet it:
// no token, no answer; cross-origin, refused; and SIGTERM ends it even after POST /stop. Plus the
// demo's notice for a non-loopback URL, token checks and the kubeconfig's mode.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';
import { backendNames } from '../support/backend';
import { Rest } from '../realstack/rest';
import { writeKubeconfig } from '../sandbox/kubeconfig';
import { sameSecret } from '../sandbox/secret';
import { exposureNotice } from '../e2e/demoNotice.mjs';

const TOKEN = 'control-token-for-the-test';
const auth = { authorization: `Bearer ${TOKEN}` };

for (const backend of backendNames())
  describe(`the control endpoint on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let child: ChildProcess;
    let control: string;
    let kube: Rest;
    let exited: Promise<number | null>;

    before(async () => {
      const kubeconfig = join(mkdtempSync(join(tmpdir(), 'capi-ipam-control-')), 'kubeconfig');
      child = spawn(process.execPath, ['--import', 'tsx', join('test', 'e2e', 'cluster-control.ts'), '--backend', backend.name, '--kubeconfig', kubeconfig], {
        cwd: ROOT,
        env: { ...process.env, CAPI_IPAM_CONTROL_TOKEN: TOKEN },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
      control = await new Promise<string>((resolve, reject) => {
        let out = '';
        const onData = (d: Buffer) => {
          out += d;
          const m = /e2e-cluster-ready (\{.*\})/.exec(out);
          if (m) resolve((JSON.parse(m[1]!) as { control: string }).control);
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.on('exit', () => reject(new Error(`cluster-control exited: ${out}`)));
      });
      kube = Rest.fromKubeconfig(kubeconfig);
    });
    after(async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    });

    const call = (method: string, route: string, headers: Record<string, string> = {}, body?: string) =>
      fetch(`${control}${route}`, { method, headers, body }).then(async (r) => ({ status: r.status, body: await r.text() }));
    const version = () =>
      kube.request('GET', '/version').then(
        (r) => r.status,
        (e: Error) => e.message,
      );
    /** A new TCP connection to the API server's port: `connected` or the error code. */
    const dial = () =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(new URL(kube.url).port), '127.0.0.1');
        socket.on('connect', () => (socket.destroy(), resolve('connected')));
        socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      });

    test('without the token, or with a wrong one, the endpoint answers 401 and stops nothing', async () => {
      assert.equal((await call('POST', '/stop')).status, 401);
      assert.equal((await call('POST', '/stop', { authorization: 'Bearer wrong' })).status, 401);
      assert.equal((await call('GET', '/state', { authorization: 'Bearer wrong' })).status, 401);
      assert.deepEqual(await call('GET', '/state', auth), { status: 200, body: '{"serving":true}' });
      assert.equal(await version(), 200);
    });

    test('a cross-origin request is refused even with the token', async () => {
      assert.equal((await call('POST', '/stop', { ...auth, origin: 'https://evil.example', 'content-type': 'text/plain' }, '{}')).status, 403);
      assert.equal((await call('GET', '/state', { ...auth, 'sec-fetch-site': 'cross-site' })).status, 403);
      assert.equal((await call('GET', '/state', auth)).status, 200);
      assert.equal(await version(), 200);
    });

    test('POST /stop: the API server refuses connections; POST /start: it serves the same data at the same URL', { timeout: 180_000 }, async () => {
      await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kept-over-the-outage' } });
      assert.deepEqual(await call('POST', '/stop', auth), { status: 200, body: '{"serving":false}' });
      assert.equal(await dial(), 'ECONNREFUSED');
      assert.deepEqual(await call('POST', '/start', auth), { status: 200, body: '{"serving":true}' });
      assert.equal(await version(), 200);
      assert.equal((await kube.get('v1', 'Namespace', undefined, 'kept-over-the-outage'))?.metadata?.name, 'kept-over-the-outage');
    });

    test('after POST /stop, SIGTERM still ends the process', { timeout: 60_000 }, async () => {
      assert.equal((await call('POST', '/stop', auth)).status, 200);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    });
  });

test('where the real lane cannot run, --backend real says NOT RUN (the launcher reports it so, never as passed) and exits 0', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join('test', 'e2e', 'cluster-control.ts'), '--backend', 'real', '--kubeconfig', join(tmpdir(), 'never-written')],
    {
      cwd: ROOT,
      env: { ...process.env, CAPI_IPAM_REAL_STACK: 'off' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
  assert.equal(out, 'e2e-cluster-not-run {"reason":"real lane NOT RUN: CAPI_IPAM_REAL_STACK=off"}\n');
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
