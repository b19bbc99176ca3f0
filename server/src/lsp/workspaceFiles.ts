// Reads the YAML files of the workspace folders (the walk of folderFiles.ts) from disk.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EDITOR_MAX_FILES, type FileSelection, listFolder, Selector } from '../folderFiles';
import { MAX_READ_BYTES, readRegularFile, realRoots } from '../safeFile';

/** A workspace file from disk: a regular file inside one of the folders (real paths), or an error. */
export async function readWorkspaceFile(uri: string, folderUris: string[]): Promise<string> {
  const roots = await realRoots(folderUris.filter((f) => f.startsWith('file:')).map((f) => fileURLToPath(f)));
  return readRegularFile(fileURLToPath(uri), MAX_READ_BYTES, roots);
}

export interface ScanOptions extends FileSelection {
  /** Stop after this many files (EDITOR_MAX_FILES). */
  maxFiles?: number;
}

/** Files read at once: the reads overlap (each is a realpath, an open and a read), the open handles stay few. */
const PARALLEL_READS = 16;

/** The files of the folder's walk (folderFiles.ts) that are regular files inside it, with their texts. */
export async function scanFolder(folderUri: string, opts: ScanOptions): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!folderUri.startsWith('file:')) return out;
  const root = fileURLToPath(folderUri);
  const roots = await realRoots([root]);
  const { files } = listFolder(root, opts, opts.maxFiles ?? EDITOR_MAX_FILES);
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

export function matches(folderUri: string, fileUri: string, opts: FileSelection): boolean {
  if (!folderUri.startsWith('file:') || !fileUri.startsWith('file:')) return false;
  return new Selector(opts).selects(fileURLToPath(folderUri), fileURLToPath(fileUri));
}
