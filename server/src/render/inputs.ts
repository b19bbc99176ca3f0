// The files a renderer reads, collected once: they are hashed for the cache and copied, with
// sentinels, for the mapping render. Only regular files (no symlinks), bounded in number and size.
import type * as Crypto from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { RenderError } from './run';

export const MAX_INPUT_FILES = 2000;
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;
const SKIP = new Set(['node_modules', '.git', 'dist', '.vscode-test', '.cache']);

export interface InputFile {
  /** Path relative to the walked folder, with `/`. */
  rel: string;
  path: string;
  data: Buffer;
}

/** Regular files under `dir` for which `want(rel)` holds. */
export function readTree(dir: string, want: (rel: string) => boolean): InputFile[] {
  const out: InputFile[] = [];
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !e.name.startsWith('.')) walk(full);
        continue;
      }
      const rel = relative(dir, full).split(sep).join('/');
      if (!e.isFile() || !want(rel)) continue;
      bytes += lstatSync(full).size;
      if (out.length >= MAX_INPUT_FILES || bytes > MAX_INPUT_BYTES)
        throw new RenderError(`${dir}: more than ${MAX_INPUT_FILES} files or ${MAX_INPUT_BYTES / 1024 / 1024} MiB to render`);
      out.push({ rel, path: full, data: readFileSync(full) });
    }
  };
  walk(dir);
  return out;
}

/** A regular file's text (a values file named by the user). */
export function readRegular(path: string): string {
  const st = lstatSync(path);
  if (!st.isFile()) throw new RenderError(`${path} is not a regular file`);
  if (st.size > MAX_INPUT_BYTES) throw new RenderError(`${path} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`);
  return readFileSync(path, 'utf8');
}

export function contentKey(parts: unknown[], files: InputFile[]): string {
  const { createHash } = require('node:crypto') as typeof Crypto; // loaded when a render is keyed, not at start-up
  const h = createHash('sha256').update(JSON.stringify(parts));
  for (const f of files) h.update('\0' + f.rel + '\0').update(f.data);
  return h.digest('hex');
}
