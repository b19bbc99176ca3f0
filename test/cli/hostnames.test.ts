// check resolves endpoint host names before it reports (localhost only: no external DNS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';
import { hostnameCluster } from '../support/hostnameCluster';

const CLI = join(ROOT, 'dist', 'cli.js');

test('check: a host name that does not resolve to the VIP is an error (exit 1); --no-resolve keeps the hint (exit 0)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-cli-dns-'));
  try {
    writeFileSync(join(dir, 'web.yaml'), hostnameCluster('localhost', '10.10.0.77'));
    const run = (...extra: string[]) => spawnSync(process.execPath, [CLI, 'check', 'web.yaml', ...extra], { cwd: dir, encoding: 'utf8' });
    const resolved = run();
    assert.equal(resolved.status, 1, resolved.stderr);
    assert.match(resolved.stdout, /^web\.yaml:8:11: error \[dns-mismatch\] localhost \(Cluster web \.spec\.controlPlaneEndpoint\.host\) resolves to /m);
    const off = run('--no-resolve');
    assert.equal(off.status, 0, off.stderr);
    assert.match(off.stdout, /^web\.yaml:8:11: hint \[dns-mismatch\] localhost .* is a DNS name: it must resolve to the VIP 10\.10\.0\.77 /m);
    writeFileSync(join(dir, 'web.yaml'), hostnameCluster('localhost', '127.0.0.1'));
    assert.equal(run().status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
