// Runs a renderer (helm, kustomize) as a child process: bounded in time and output, cancellable.
import type * as ChildProcess from 'node:child_process';

export const MAX_RENDER_BYTES = 16 * 1024 * 1024;
export const RENDER_TIMEOUT_MS = 60_000;

export class RenderError extends Error {}

/** A tool's message without terminal control characters (it reaches a terminal and the Problems panel). */
const printable = (s: string) => s.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '?');

export interface RunOptions {
  cwd?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
}

/** stdout of `cmd args`; rejects with the tool's stderr (shortened) on a non-zero exit, a timeout, too much output or an abort. */
export function runTool(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const max = opts.maxBytes ?? MAX_RENDER_BYTES;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new RenderError('cancelled'));
    // No shell: arguments are passed as they are. stdin is closed so a tool never waits for input.
    // node:child_process is loaded when a renderer first runs, not with every CLI start.
    const { spawn } = require('node:child_process') as typeof ChildProcess;
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HELM_DEBUG: 'false' } });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    let failure: string | undefined;
    const stop = (why: string) => {
      failure ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(`timed out after ${(opts.timeoutMs ?? RENDER_TIMEOUT_MS) / 1000} s`), opts.timeoutMs ?? RENDER_TIMEOUT_MS);
    const onAbort = () => stop('cancelled');
    opts.signal?.addEventListener('abort', onAbort);
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size > max) stop(`output larger than ${max / 1024 / 1024} MiB`);
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < 8192) err += b.toString('utf8');
    });
    child.on('error', (e) => {
      failure ??= (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${cmd} not found (install it or set its path in the settings)` : e.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (failure) return reject(new RenderError(failure));
      if (code !== 0) return reject(new RenderError(printable(err.trim().split('\n').slice(-5).join('\n')) || `exit code ${code}`));
      resolve(Buffer.concat(out).toString('utf8'));
    });
  });
}
