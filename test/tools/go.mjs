// The Go toolchain every Go build of the tests uses (the real stack, helm and kustomize, the CEL
// evaluator): $GO when set, and then only it (so a run can pin one, or prove what happens without);
// else `go` on PATH, then the usual install places.
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function findGo() {
  const candidates = process.env.GO ? [process.env.GO] : ['go', '/usr/local/go/bin/go', join(homedir(), 'go', 'bin', 'go'), '/usr/lib/go/bin/go'];
  return candidates.find((c) => spawnSync(c, ['version'], { stdio: 'ignore', timeout: 20_000 }).status === 0);
}
