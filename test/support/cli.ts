// The bundled CLI as a child process, asynchronously (a sandbox in this process must keep answering).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './lspClient';

export const CLI = join(ROOT, 'dist', 'cli.js');

export function runCli(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
