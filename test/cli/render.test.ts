// check/allocate --helm and --kustomize with the real helm and kustomize: findings and edits at
// the values key or patch line that produced the rendered VIP place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from '../support/lspClient';
import { copyFixture } from '../support/workspaceCopy';
import { renderToolsOr, type Tools } from '../support/renderTools';

const CLI = join(ROOT, 'dist', 'cli.js');
const run = (tools: Tools, args: string[], cwd: string) =>
  spawnSync(process.execPath, [CLI, ...args, '--helm-path', tools.helm, '--kustomize-command', tools.kustomize.join(' ')], { cwd, encoding: 'utf8' });
const HELM = join(ROOT, 'test/fixtures/helm');
const KUST = join(ROOT, 'test/fixtures/kustomize');

const lineOf = (file: string, needle: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle)) + 1;

test('helm: clean values give no finding', (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const r = run(tools, ['check', '--helm', 'vsphere-cluster', 'pools.yaml'], HELM);
  assert.equal(r.stdout, '0 error(s), 0 warning(s), 0 note(s) in 1 file(s)\n', r.stderr);
  assert.equal(r.status, 0);
});

test('helm: a second values key that disagrees is reported at its line in the values file', (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const r = run(tools, ['check', '--helm', 'vsphere-cluster', '--values', 'values-mismatch.yaml', 'pools.yaml', '--format', 'json'], HELM);
  assert.equal(r.status, 1, r.stderr);
  const findings = JSON.parse(r.stdout) as { file: string; line: number; column: number; endColumn: number; code: string; message: string }[];
  assert.deepEqual(
    findings.map((f) => [f.file, f.line, f.column, f.endColumn, f.code]),
    [['values-mismatch.yaml', lineOf(join(HELM, 'values-mismatch.yaml'), 'address:'), 12, 22, 'vip-mismatch']],
  );
  assert.match(findings[0]!.message, /kube-vip .* is "10\.20\.0\.11", but 2 other places say "10\.20\.0\.10"/);
});

test('helm: a VIP out of pool is reported at the values key that set it', (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const r = run(tools, ['check', '--helm', 'vsphere-cluster', '--values', 'values-out-of-pool.yaml', 'pools.yaml'], HELM);
  const line = lineOf(join(HELM, 'values-out-of-pool.yaml'), 'host:');
  assert.match(r.stdout, new RegExp(`^values-out-of-pool\\.yaml:${line}:11: warning \\[out-of-pool\\] `, 'm'), r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, /#helm-template|templates\//);
});

test('helm: --set wins over the values file; a place fed by --set points at the template', (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const r = run(tools, ['check', '--helm', 'vsphere-cluster', '--set', 'kubeVip.address=10.20.0.12', 'pools.yaml'], HELM);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^vsphere-cluster\/templates\/kubeadmcontrolplane\.yaml:1:1: error \[vip-mismatch\] .*"10\.20\.0\.12"/m, r.stdout + r.stderr);
});

test('helm: allocate --offline writes the next free address into the values file; the chart then renders clean', (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const ws = copyFixture('test/fixtures/helm');
  t.after(() => ws.dispose());
  const before = run(tools, ['check', '--helm', 'vsphere-cluster', '--values', 'values-new.yaml', 'pools.yaml'], ws.dir);
  assert.match(before.stdout, /^values-new\.yaml:4:12: info \[missing-vip\]/m, before.stdout + before.stderr);
  const r = run(tools, ['allocate', '--offline', '--cluster', 'wl-new', '--helm', 'vsphere-cluster', '--values', 'values-new.yaml', 'pools.yaml'], ws.dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '10.20.0.10\n');
  assert.equal(
    readFileSync(join(ws.dir, 'values-new.yaml'), 'utf8'),
    readFileSync(join(HELM, 'values-new.yaml'), 'utf8').replace('host: ""', 'host: "10.20.0.10"'),
  );
  const after = run(tools, ['check', '--helm', 'vsphere-cluster', '--values', 'values-new.yaml', 'pools.yaml'], ws.dir);
  assert.equal(after.stdout, '0 error(s), 0 warning(s), 0 note(s) in 1 file(s)\n', after.stderr);
});

test('kustomize: an overlay patch that moves one place is reported at the patch line', (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const r = run(tools, ['check', '--kustomize', 'overlays/prod', 'pools.yaml'], KUST);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(
    r.stdout.split('\n')[0],
    `overlays/prod/vspherecluster-vip.yaml:${lineOf(join(KUST, 'overlays/prod/vspherecluster-vip.yaml'), 'host:')}:11: error [vip-mismatch] VIP mismatch in cluster clusters/wl-kust: VSphereCluster wl-kust .spec.controlPlaneEndpoint.host is "10.20.0.21", but 2 other places say "10.20.0.20".`,
  );
  const clean = run(tools, ['check', '--kustomize', 'overlays/staging', 'pools.yaml'], KUST);
  assert.equal(clean.stdout, '0 error(s), 0 warning(s), 0 note(s) in 1 file(s)\n', clean.stderr);
});

test("kustomize: the overlay's ../base outside the current folder is rendered too (run in the overlay, or by absolute path)", (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const line = lineOf(join(KUST, 'overlays/prod/vspherecluster-vip.yaml'), 'host:');
  const message = `error [vip-mismatch] VIP mismatch in cluster clusters/wl-kust: VSphereCluster wl-kust .spec.controlPlaneEndpoint.host is "10.20.0.21", but 2 other places say "10.20.0.20".`;
  const inOverlay = run(tools, ['check', '--kustomize', '.', '../../pools.yaml'], join(KUST, 'overlays/prod'));
  assert.equal(inOverlay.status, 1, inOverlay.stderr);
  assert.equal(inOverlay.stdout.split('\n')[0], `vspherecluster-vip.yaml:${line}:11: ${message}`);
  const elsewhere = mkdtempSync(join(tmpdir(), 'capi-ipam-kust-cwd-'));
  const absolute = run(tools, ['check', '--kustomize', join(KUST, 'overlays/prod'), join(KUST, 'pools.yaml')], elsewhere);
  assert.equal(absolute.status, 1, absolute.stderr);
  assert.equal(absolute.stdout.split('\n')[0], `${relative(elsewhere, join(KUST, 'overlays/prod/vspherecluster-vip.yaml'))}:${line}:11: ${message}`);
});

test('render failures are one clear error, exit 2 for a missing tool', (t) => {
  const tools = renderToolsOr(t);
  if (!tools) return;
  const missing = spawnSync(process.execPath, [CLI, 'check', '--helm', 'vsphere-cluster', '--helm-path', join(HELM, 'no-such-helm')], {
    cwd: HELM,
    encoding: 'utf8',
  });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^capi-ipam: .*no-such-helm not found/m);
  const broken = run(tools, ['check', '--helm', 'vsphere-cluster', '--values', 'pools.yaml', '--set', 'controlPlane=oops'], HELM);
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /^capi-ipam: /m);
  assert.doesNotMatch(broken.stderr, /\n\s+at /); // no stack trace
});
