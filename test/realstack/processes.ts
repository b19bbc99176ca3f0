// Child processes of the real stack: each in a process group of its own (stop() signals the whole
// group), output in a log file, and a guard that ends the child when this Node process dies without
// a chance to clean up (its stdin pipe closes).
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, watch } from 'node:fs';

// bash keeps the pipe on fd 3, runs the child without it, and when the pipe closes ends the child:
// SIGTERM, then SIGKILL after 5 s (kube-apiserver's graceful shutdown can hang once etcd is gone).
const GUARD =
  'exec 3<&0; "$@" </dev/null & c=$!; (read -r _ <&3; kill -TERM $c 2>/dev/null; sleep 5; kill -KILL $c 2>/dev/null) & w=$!; wait $c; s=$?; kill $w 2>/dev/null; exit $s';

export class Proc {
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private done = false;

  constructor(
    readonly name: string,
    bin: string,
    args: string[],
    readonly logFile: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const log = openSync(logFile, 'a');
    this.child = spawn('bash', ['-c', GUARD, name, bin, ...args], { detached: true, stdio: ['pipe', log, log], env });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code) => {
        this.done = true;
        resolve(code);
      }),
    );
    this.child.on('error', () => {});
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return !this.done;
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Resolves when the log matches `ready`, read again on every write to the log file; rejects when the process exits or after `ms`. */
  waitForLog(ready: RegExp, ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const watcher = watch(this.logFile);
      const finish = (error?: Error) => {
        watcher.close();
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (ready.test(this.log())) finish();
        else if (this.done) finish(new Error(`${this.name} exited before it was ready:\n${this.tail()}`));
      };
      const timer = setTimeout(() => finish(new Error(`timed out after ${ms} ms waiting for ${this.name}:\n${this.tail()}`)), ms);
      watcher.on('change', check);
      void this.exited.then(check);
      check();
    });
  }

  /** The end of the log, for error messages. */
  tail(lines = 25): string {
    return this.log().trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** SIGSTOP (`pause`) or SIGCONT to the whole group: a hung process, its sockets open and silent. */
  pause(paused: boolean): void {
    process.kill(-this.pid, paused ? 'SIGSTOP' : 'SIGCONT');
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the group leader has exited. */
  async stop(graceMs = 10_000): Promise<void> {
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-this.pid, s);
      } catch {
        /* gone */
      }
    };
    if (this.done) return signal('SIGKILL'); // stragglers of an exited leader
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    signal('SIGKILL');
  }
}
