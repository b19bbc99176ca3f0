// Collects the YAML files named on the command line (directories are walked) and reads them. Below a
// named directory, symlinks to directories are never followed and a symlinked file is read only if it
// resolves inside that directory; FIFOs, devices, loops and huge files are reported, the rest checked.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Workspace } from '../engine/index';
import { FileRefused, MAX_READ_BYTES, readRegularFileSync } from '../safeFile';

const SKIP = new Set(['node_modules', '.git', 'dist', '.vscode-test']);
const YAML = /\.ya?ml$/i;

interface Candidate {
  path: string;
  /** Real path of the named directory it was found in; undefined for a file named on the command line. */
  root?: string;
}

const why = (e: unknown) => (e instanceof FileRefused ? e.message : `${(e as { path?: string }).path ?? ''}: ${(e as { code?: string }).code ?? (e as Error).message}`);

export function yamlFiles(paths: string[]): { files: Candidate[]; problems: string[] } {
  const files: Candidate[] = [];
  const problems: string[] = [];
  const walk = (p: string, root: string) => {
    let entries: string[];
    try {
      entries = readdirSync(p).sort();
    } catch (e) {
      return void problems.push(why(e));
    }
    for (const name of entries) {
      if (SKIP.has(name)) continue;
      const full = join(p, name);
      let st;
      try {
        st = lstatSync(full);
      } catch (e) {
        problems.push(why(e));
        continue;
      }
      if (st.isDirectory()) walk(full, root);
      else if (YAML.test(name)) files.push({ path: full, root }); // a link, a FIFO or a device is refused when read
    }
  };
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) walk(p, realpathSync(p));
      else files.push({ path: p });
    } catch (e) {
      problems.push(`${p}: ${(e as { code?: string }).code ?? (e as Error).message}`);
    }
  }
  return { files, problems };
}

/** `problems`: files that could not be read (the caller reports them and exits 2). */
export function loadWorkspace(paths: string[]): { workspace: Workspace; files: string[]; problems: string[] } {
  const workspace = new Workspace();
  const { files: candidates, problems } = yamlFiles(paths);
  const files: string[] = [];
  for (const c of candidates) {
    const f = relative(process.cwd(), c.path) || c.path;
    try {
      workspace.setFile(f, readRegularFileSync(c.path, MAX_READ_BYTES, c.root ? [c.root] : undefined));
      files.push(f);
    } catch (e) {
      problems.push(e instanceof FileRefused ? e.message.replace(c.path, f) : `${f}: ${(e as { code?: string }).code ?? (e as Error).message}`);
    }
  }
  return { workspace, files, problems };
}
