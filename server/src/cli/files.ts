// Collects the YAML files named on the command line (directories are walked as the editor walks a
// workspace folder) and reads them. Below a named directory, symlinks to directories are never followed
// and a symlinked file is read only if it resolves inside that directory; FIFOs, devices, loops and
// huge files are reported, the rest checked.
import { realpathSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { AnalysisHost } from '../engine/index';
import { DEFAULT_SELECTION, type FileSelection, listFolder } from '../folderFiles';
import { FileRefused, MAX_READ_BYTES, readRegularFileSync } from '../safeFile';

interface Candidate {
  path: string;
  /** Real path of the named directory it was found in; undefined for a file named on the command line. */
  root?: string;
}

const why = (e: unknown) =>
  e instanceof FileRefused ? e.message : `${(e as { path?: string }).path ?? ''}: ${(e as { code?: string }).code ?? (e as Error).message}`;

/** The files named, and those the editor's walk (folderFiles.ts) lists in the directories named, without its cap. */
export function yamlFiles(paths: string[], selection: FileSelection = DEFAULT_SELECTION): { files: Candidate[]; problems: string[] } {
  const files: Candidate[] = [];
  const problems: string[] = [];
  for (const p of paths) {
    try {
      if (!statSync(p).isDirectory()) {
        files.push({ path: p });
        continue;
      }
      const root = realpathSync(p);
      const listing = listFolder(p, selection);
      problems.push(...listing.problems.map((x) => why(x.error)));
      files.push(...listing.files.map((path) => ({ path, root })));
    } catch (e) {
      problems.push(`${p}: ${(e as { code?: string }).code ?? (e as Error).message}`);
    }
  }
  return { files, problems };
}

/** `--include GLOB`… `--exclude GLOB`…: capiIpam.include/exclude, each replacing its default as the setting does. */
export const SELECTION_OPTIONS = { include: { type: 'string', multiple: true }, exclude: { type: 'string', multiple: true } } as const;

export function selectionOf(values: { include?: string[]; exclude?: string[] }): FileSelection {
  return { include: values.include ?? DEFAULT_SELECTION.include, exclude: values.exclude ?? DEFAULT_SELECTION.exclude };
}

/** `problems`: files that could not be read (the caller reports them and exits 2). */
export function loadWorkspace(paths: string[], selection?: FileSelection): { workspace: AnalysisHost; files: string[]; problems: string[] } {
  const workspace = new AnalysisHost();
  const { files: candidates, problems } = yamlFiles(paths, selection);
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
