// Collects the YAML files named on the command line (directories are walked).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Workspace } from '../engine/workspace';

const SKIP = new Set(['node_modules', '.git', 'dist', '.vscode-test']);

/** A path that could not be read (a symlink loop, no permission…): reported, and the rest is checked. */
export interface FileError {
  path: string;
  message: string;
}

export function yamlFiles(paths: string[], errors: FileError[] = []): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    try {
      const st = statSync(p);
      if (st.isDirectory()) {
        for (const name of readdirSync(p).sort()) if (!SKIP.has(name)) walk(join(p, name));
      } else if (/\.ya?ml$/i.test(p) || paths.includes(p)) out.push(p);
    } catch (e) {
      errors.push({ path: p, message: (e as Error).message });
    }
  };
  for (const p of paths) walk(p);
  return out;
}

export function loadWorkspace(paths: string[]): { workspace: Workspace; files: string[]; errors: FileError[] } {
  const workspace = new Workspace();
  const errors: FileError[] = [];
  const files = yamlFiles(paths, errors).map((f) => relative(process.cwd(), f) || f).filter((f) => {
    try {
      workspace.setFile(f, readFileSync(f, 'utf8'));
      return true;
    } catch (e) {
      errors.push({ path: f, message: (e as Error).message });
      return false;
    }
  });
  return { workspace, files, errors };
}
