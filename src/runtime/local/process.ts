import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { ownerEnv, recordProcess } from './owner.ts';

export interface ProcessSpec {
  id: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  logFile: string;
}

const live = new Set<ManagedProcess>();
let exitHookInstalled = false;

/** On any exit of the runner, even a crash, kill what is still running (the ledger covers SIGKILL). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.signal('SIGKILL');
  });
}

/** A child process in its own process group, logging to a file, marked with this runner's owner id. */
export class ManagedProcess {
  readonly exited: Promise<void>;
  #exit: string | null = null;

  private constructor(
    readonly spec: ProcessSpec,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      const ended = (how: string): void => {
        this.#exit ??= how;
        live.delete(this);
        resolve();
      };
      child.once('exit', (code, signal) =>
        ended(signal ? `was killed by ${signal}` : `exited with code ${code}`),
      );
      child.once('error', (error) => ended(`could not start: ${error.message}`));
    });
  }

  static start(spec: ProcessSpec): ManagedProcess {
    installExitHook();
    const env = { ...process.env, ...spec.env, ...ownerEnv() };
    const log = openSync(spec.logFile, 'a');
    try {
      const child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env,
        detached: true,
        stdio: ['ignore', log, log],
      });
      if (child.pid !== undefined) recordProcess(child.pid);
      const managed = new ManagedProcess(spec, child);
      live.add(managed);
      return managed;
    } finally {
      closeSync(log);
    }
  }

  /** Null while running, else how it ended. */
  get exit(): string | null {
    return this.#exit;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.#exit !== null || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // the group is already gone
    }
  }

  async kill(): Promise<void> {
    if (this.#exit !== null || this.child.pid === undefined) return;
    this.signal('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after a grace period. */
  async stop(graceMs = 1500): Promise<void> {
    if (this.#exit !== null || this.child.pid === undefined) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
