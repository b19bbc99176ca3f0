// Collects the YAML files named on the command line (directories are walked).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Workspace } from '../engine/workspace';

const SKIP = new Set(['node_modules', '.git', 'dist', '.vscode-test']);

export function yamlFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!SKIP.has(name)) walk(join(p, name));
    } else if (/\.ya?ml$/i.test(p) || paths.includes(p)) out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

export function loadWorkspace(paths: string[]): { workspace: Workspace; files: string[] } {
  const workspace = new Workspace();
  const files = yamlFiles(paths).map((f) => relative(process.cwd(), f) || f);
  for (const f of files) workspace.setFile(f, readFileSync(f, 'utf8'));
  return { workspace, files };
}
