#!/usr/bin/env node
// Builds the real helm and kustomize the render tests use, from the Go module proxy, into
// .cache/render-tools/<tool>/<version>/ (gitignored). A second run finds the binary and does
// not rebuild. `node test/tools/render-tools.mjs` builds both and prints their paths;
// the tests import renderTools().
import { existsSync, mkdirSync, renameSync, rmSync, mkdtempSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findGo } from './go.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cacheRoot = join(root, '.cache', 'render-tools');

/** Released tags, pinned: both need Go >= 1.26 (kustomize v5.8.3 needs 1.27). */
export const TOOLS = {
  helm: {
    version: 'v3.22.0',
    pkg: 'helm.sh/helm/v3/cmd/helm',
    ldflags: (v) => `-s -w -X helm.sh/helm/v3/internal/version.version=${v}`,
  },
  kustomize: {
    version: 'v5.8.2',
    pkg: 'sigs.k8s.io/kustomize/kustomize/v5',
    ldflags: () => '-s -w',
  },
};

export function toolPath(name) {
  const t = TOOLS[name];
  return join(cacheRoot, name, t.version, name);
}

/** Builds one tool unless cached; returns { path, built, ms } or { error }. */
export function ensureTool(name, log = () => {}) {
  const t = TOOLS[name];
  const out = toolPath(name);
  if (existsSync(out)) return { path: out, built: false, ms: 0 };
  const go = findGo();
  if (!go) return { error: `Go is not installed (needed to build ${name} ${t.version}); set GO or install Go >= 1.26` };
  mkdirSync(dirname(out), { recursive: true });
  const bin = mkdtempSync(join(dirname(out), '.build-'));
  const started = Date.now();
  log(`building ${name} ${t.version} from the Go module proxy (${t.pkg})…`);
  const nice = spawnSync('nice', ['--version']).status === 0;
  const cmd = [go, 'install', '-trimpath', `-ldflags=${t.ldflags(t.version)}`, `${t.pkg}@${t.version}`];
  const r = spawnSync(nice ? 'nice' : cmd[0], nice ? ['-n', '10', ...cmd] : cmd.slice(1), {
    encoding: 'utf8',
    env: { ...process.env, GOBIN: bin, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const built = join(bin, name);
  if (r.status !== 0 || !existsSync(built)) {
    rmSync(bin, { recursive: true, force: true });
    return { error: `building ${name} ${t.version} failed:\n${(r.stderr || r.error?.message || '').slice(-4000)}` };
  }
  renameSync(built, out);
  rmSync(bin, { recursive: true, force: true });
  return { path: out, built: true, ms: Date.now() - started };
}

/** Paths of both tools, building them when missing; `missing` lists the reasons for any not available. */
export function renderTools(log) {
  const res = {};
  const missing = [];
  for (const name of Object.keys(TOOLS)) {
    const r = ensureTool(name, log);
    if (r.error) missing.push(r.error);
    else res[name] = r.path;
  }
  return { ...res, missing };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let failed = false;
  for (const name of Object.keys(TOOLS)) {
    const r = ensureTool(name, (m) => console.error(m));
    if (r.error) {
      console.error(r.error);
      failed = true;
    } else {
      console.log(`${name} ${TOOLS[name].version}: ${r.path}${r.built ? ` (built in ${(r.ms / 1000).toFixed(0)} s)` : ' (cached)'}`);
    }
  }
  process.exit(failed ? 1 : 0);
}
