// Finds the YAML files of the workspace folders (include/exclude globs) and reads them from disk.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { MAX_READ_BYTES, readRegularFile, realRoots } from '../safeFile';

/** A workspace file from disk: a regular file inside one of the folders (real paths), or an error. */
export async function readWorkspaceFile(uri: string, folderUris: string[]): Promise<string> {
  const roots = await realRoots(folderUris.filter((f) => f.startsWith('file:')).map((f) => fileURLToPath(f)));
  return readRegularFile(fileURLToPath(uri), MAX_READ_BYTES, roots);
}

export interface ScanOptions {
  include: string[];
  exclude: string[];
  /** Stop after this many files: a monorepo must not stall the server. */
  maxFiles?: number;
}

/** Files read at once: the reads overlap (each is a realpath, an open and a read), the open handles stay few. */
const PARALLEL_READS = 16;

export async function scanFolder(folderUri: string, opts: ScanOptions): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!folderUri.startsWith('file:')) return out;
  const root = fileURLToPath(folderUri);
  const roots = await realRoots([root]);
  const included = picomatch(opts.include, { dot: false });
  const excluded = picomatch(opts.exclude, { dot: true });
  const max = opts.maxFiles ?? 5000;
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: skip it
    }
    for (const e of entries) {
      if (files.length >= max) return;
      const full = join(dir, e.name);
      const rel = relative(root, full).split('\\').join('/');
      if (excluded(rel) || excluded(rel + '/')) continue;
      if (e.isDirectory()) {
        if (e.name === 'node_modules' || e.name === '.git') continue;
        await walk(full);
      } else if (e.isFile() && included(rel)) files.push(full);
    }
  };
  await walk(root);
  const texts: (string | undefined)[] = new Array(files.length);
  let next = 0;
  const reader = async () => {
    while (next < files.length) {
      const i = next++;
      try {
        texts[i] = await readRegularFile(files[i]!, MAX_READ_BYTES, roots);
      } catch {
        /* vanished, unreadable, too big, or replaced by something that is not a regular file */
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, files.length) }, reader));
  // In walk order, whatever order the reads finished in.
  files.forEach((f, i) => texts[i] !== undefined && out.set(pathToFileURL(f).toString(), texts[i]!));
  return out;
}

export function matches(folderUri: string, fileUri: string, opts: ScanOptions): boolean {
  if (!folderUri.startsWith('file:') || !fileUri.startsWith('file:')) return false;
  const rel = relative(fileURLToPath(folderUri), fileURLToPath(fileUri)).split('\\').join('/');
  if (rel.startsWith('..')) return false;
  return picomatch(opts.include)(rel) && !picomatch(opts.exclude, { dot: true })(rel);
}
