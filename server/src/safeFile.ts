// Reading files a repository controls: only regular files whose real path lies inside one of the
// roots (a symlink to /etc or to a pool elsewhere is refused), at most `maxBytes`. The file is opened
// non-blocking and checked on the open descriptor before a byte is read, so a FIFO, a device
// (/dev/zero) or a socket is refused instead of stalling the reader or filling memory.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { relative, isAbsolute } from 'node:path';
import { MAX_FILE_BYTES } from './engine/index';

/** Bigger files are not read at all (the engine reports files over MAX_FILE_BYTES without checking them). */
export const MAX_READ_BYTES = MAX_FILE_BYTES * 2;

export class FileRefused extends Error {}

const FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** Whether `real` (a real path) is `root` or below it. */
export function isInside(root: string, real: string): boolean {
  const rel = relative(root, real);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function check(path: string, real: string, roots: string[] | undefined, st?: Stats, maxBytes?: number): void {
  if (roots && !roots.some((r) => isInside(r, real))) throw new FileRefused(`${path}: resolves outside the workspace (${real}): not read`);
  if (!st) return;
  if (!st.isFile()) throw new FileRefused(`${path}: not a regular file: not read`);
  if (maxBytes !== undefined && st.size > maxBytes) throw new FileRefused(`${path}: larger than ${maxBytes} bytes: not read`);
}

/** Reads up to `maxBytes`; a file that grew past it since the check is refused too. */
function decode(chunks: Buffer[], total: number, path: string, maxBytes: number): string {
  if (total > maxBytes) throw new FileRefused(`${path}: larger than ${maxBytes} bytes: not read`);
  return Buffer.concat(chunks, total).toString('utf8');
}

/** `roots` are real paths; undefined: no containment (a path the user named on purpose). */
export async function readRegularFile(path: string, maxBytes: number, roots?: string[]): Promise<string> {
  const real = await realpath(path);
  check(path, real, roots);
  const fh = await open(real, FLAGS);
  try {
    check(path, real, roots, await fh.stat(), maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      if ((total += bytesRead) > maxBytes) break;
    }
    return decode(chunks, total, path, maxBytes);
  } finally {
    await fh.close();
  }
}

export function readRegularFileSync(path: string, maxBytes: number, roots?: string[]): string {
  const real = realpathSync(path);
  check(path, real, roots);
  const fd = openSync(real, FLAGS);
  try {
    check(path, real, roots, fstatSync(fd), maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(64 * 1024);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      if ((total += n) > maxBytes) break;
    }
    return decode(chunks, total, path, maxBytes);
  } finally {
    closeSync(fd);
  }
}

/** Checks without reading (and without blocking on a FIFO) that `path` is a regular file of at most `maxBytes`. */
export function checkRegularFileSync(path: string, maxBytes: number): void {
  const fd = openSync(path, FLAGS & ~(constants.O_NOFOLLOW ?? 0));
  try {
    check(path, path, undefined, fstatSync(fd), maxBytes);
  } finally {
    closeSync(fd);
  }
}

export async function realRoots(paths: string[]): Promise<string[]> {
  const out = await Promise.all(paths.map((p) => realpath(p).catch(() => undefined)));
  return out.filter((p): p is string => !!p);
}
