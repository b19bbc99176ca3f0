// Builds the real stack's binaries from the Go module proxy and caches them outside the work tree.
// The versions are pinned only in modules/*/go.mod (and go.sum); everything else reads them from there.
import { execFileSync, spawn } from 'node:child_process';
import { findGo } from '../tools/go.mjs';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const MODULES = join(import.meta.dirname, 'modules');

export interface Component {
  /** Binary name in the cache. */
  name: string;
  /** Folder under modules/. */
  module: string;
  /** The main package to build; absent for a component made only of files copied out of module zips. */
  pkg?: string;
  /** Module whose version is this component's version (read from go.mod). */
  versionOf: string;
  /** Files copied out of module zips into the cache: [module, path inside it, file name in the cache]. */
  assets?: [string, string, string][];
}

export const COMPONENTS: Component[] = [
  { name: 'etcd', module: 'apiserver', pkg: 'go.etcd.io/etcd/server/v3', versionOf: 'go.etcd.io/etcd/server/v3' },
  { name: 'kube-apiserver', module: 'apiserver', pkg: 'k8s.io/kubernetes/cmd/kube-apiserver', versionOf: 'k8s.io/kubernetes' },
  {
    name: 'ipam-provider',
    module: 'provider',
    pkg: 'sigs.k8s.io/cluster-api-ipam-provider-in-cluster',
    versionOf: 'sigs.k8s.io/cluster-api-ipam-provider-in-cluster',
    assets: [
      ...['globalinclusterippools', 'inclusterippools', 'globalinclusterprefixpools', 'inclusterprefixpools'].map((p): [string, string, string] => [
        'sigs.k8s.io/cluster-api-ipam-provider-in-cluster',
        `config/crd/bases/ipam.cluster.x-k8s.io_${p}.yaml`,
        `crd-${p}.yaml`,
      ]),
      ['sigs.k8s.io/cluster-api-ipam-provider-in-cluster', 'config/webhook/manifests.yaml', 'webhooks.yaml'],
      ['sigs.k8s.io/cluster-api', 'config/crd/bases/cluster.x-k8s.io_clusters.yaml', 'crd-clusters.yaml'],
      ['sigs.k8s.io/cluster-api', 'config/crd/bases/ipam.cluster.x-k8s.io_ipaddresses.yaml', 'crd-ipaddresses.yaml'],
      ['sigs.k8s.io/cluster-api', 'config/crd/bases/ipam.cluster.x-k8s.io_ipaddressclaims.yaml', 'crd-ipaddressclaims.yaml'],
    ],
  },
  // CAPI's CRDs beyond the three the provider's tests use (a component of its own, so adding one rebuilds nothing).
  {
    name: 'capi-crds',
    module: 'provider',
    versionOf: 'sigs.k8s.io/cluster-api',
    assets: [
      ['sigs.k8s.io/cluster-api', 'config/crd/bases/cluster.x-k8s.io_machines.yaml', 'crd-machines.yaml'],
      ['sigs.k8s.io/cluster-api', 'config/crd/bases/cluster.x-k8s.io_clusterclasses.yaml', 'crd-clusterclasses.yaml'],
    ],
  },
  {
    name: 'kube-vip-cloud-provider',
    module: 'kubevip',
    pkg: 'github.com/kube-vip/kube-vip-cloud-provider',
    versionOf: 'github.com/kube-vip/kube-vip-cloud-provider',
  },
];

/** The version go.mod pins for a module (`require` or `replace` target). */
export function pinnedVersion(module: string, path: string): string {
  const text = readFileSync(join(MODULES, module, 'go.mod'), 'utf8');
  const esc = path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const m = new RegExp(`^\\s*(?:require\\s+)?${esc}\\s+(v\\S+)`, 'm').exec(text);
  if (!m) throw new Error(`realstack: ${path} is not pinned in modules/${module}/go.mod`);
  return m[1]!;
}

export { findGo } from '../tools/go.mjs';

export function cacheRoot(): string {
  return process.env.CAPI_IPAM_REALSTACK_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'capi-ipam', 'realstack');
}

function ldflags(c: Component): string[] {
  const flags = ['-s', '-w'];
  if (c.name === 'kube-apiserver') {
    const v = pinnedVersion(c.module, c.versionOf);
    const [, major, minor] = /^v(\d+)\.(\d+)\./.exec(v)!;
    const p = 'k8s.io/component-base/version';
    flags.push(`-X ${p}.gitVersion=${v}`, `-X ${p}.gitMajor=${major}`, `-X ${p}.gitMinor=${minor}`, `-X ${p}.gitTreeState=clean`);
  }
  return ['-trimpath', '-pgo=off', '-ldflags', flags.join(' ')];
}

function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=readonly`.trim() };
}

/** The cache folder of a component: keyed by Go's version, the module's go.mod/go.sum and the flags. */
export function componentDir(go: string, c: Component): string {
  const h = createHash('sha256');
  h.update(execFileSync(go, ['version'], { encoding: 'utf8' }));
  for (const f of ['go.mod', 'go.sum']) h.update(readFileSync(join(MODULES, c.module, f)));
  h.update(JSON.stringify([c, ldflags(c)]));
  return join(cacheRoot(), `${c.name}-${h.digest('hex').slice(0, 16)}`);
}

function run(go: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn('nice', ['-n', '10', go, ...args], { cwd, env: goEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`go ${args.join(' ')} (in ${cwd}) exited ${code}:\n${err.slice(-4000)}`))));
  });
}

export interface Built {
  /** Component name → its cache folder (binary `bin`, assets beside it). */
  dirs: Record<string, string>;
  /** Component name → version. */
  versions: Record<string, string>;
  /** Component name → build seconds (absent: taken from the cache). */
  built: Record<string, number>;
}

/** Builds what is missing from the cache; a second call is a few stat calls. */
export async function ensureBuilt(log: (line: string) => void = () => {}, only?: string[]): Promise<Built> {
  const go = findGo();
  if (!go) throw new Error('realstack: no Go toolchain found (tried $GO, go on PATH, /usr/local/go/bin/go)');
  const out: Built = { dirs: {}, versions: {}, built: {} };
  for (const c of COMPONENTS.filter((x) => !only || only.includes(x.name))) {
    const dir = componentDir(go, c);
    out.dirs[c.name] = dir;
    out.versions[c.name] = pinnedVersion(c.module, c.versionOf);
    if (existsSync(join(dir, 'done'))) continue;
    const cwd = join(MODULES, c.module);
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const t0 = Date.now();
    log(`realstack: ${c.pkg ? 'building' : 'fetching'} ${c.name} ${out.versions[c.name]}${c.pkg ? ' (cold: minutes)' : ''}`);
    if (c.pkg) await run(go, ['build', ...ldflags(c), '-o', join(tmp, 'bin'), c.pkg], cwd);
    for (const [mod, path, file] of c.assets ?? []) {
      const info = JSON.parse(await run(go, ['mod', 'download', '-json', mod], cwd)) as { Dir: string };
      copyFileSync(join(info.Dir, path), join(tmp, file));
    }
    const secs = (Date.now() - t0) / 1000;
    writeFileSync(join(tmp, 'done'), `${secs.toFixed(1)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    out.built[c.name] = secs;
    log(`realstack: ${c.pkg ? 'built' : 'fetched'} ${c.name} in ${secs.toFixed(0)} s`);
  }
  return out;
}
