// Finds the YAML files of the workspace folders (include/exclude globs) and reads them from disk.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { MAX_FILE_BYTES } from '../engine/workspace';

export interface ScanOptions {
  include: string[];
  exclude: string[];
  /** Stop after this many files: a monorepo must not stall the server. */
  maxFiles?: number;
}

export async function scanFolder(folderUri: string, opts: ScanOptions): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!folderUri.startsWith('file:')) return out;
  const root = fileURLToPath(folderUri);
  const included = picomatch(opts.include, { dot: false });
  const excluded = picomatch(opts.exclude, { dot: true });
  const max = opts.maxFiles ?? 5000;
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: skip it
    }
    for (const e of entries) {
      if (out.size >= max) return;
      const full = join(dir, e.name);
      const rel = relative(root, full).split('\\').join('/');
      if (excluded(rel) || excluded(rel + '/')) continue;
      if (e.isDirectory()) {
        if (e.name === 'node_modules' || e.name === '.git') continue;
        await walk(full);
      } else if (e.isFile() && included(rel)) {
        try {
          if ((await stat(full)).size > MAX_FILE_BYTES * 2) continue;
          out.set(pathToFileURL(full).toString(), await readFile(full, 'utf8'));
        } catch {
          /* vanished or unreadable */
        }
      }
    }
  };
  await walk(root);
  return out;
}

export function matches(folderUri: string, fileUri: string, opts: ScanOptions): boolean {
  if (!folderUri.startsWith('file:') || !fileUri.startsWith('file:')) return false;
  const rel = relative(fileURLToPath(folderUri), fileURLToPath(fileUri)).split('\\').join('/');
  if (rel.startsWith('..')) return false;
  return picomatch(opts.include)(rel) && !picomatch(opts.exclude, { dot: true })(rel);
}
