/**
 * A service as a child process of the runner: its environment, its memory, and killing it with its
 * children, even when the runner crashes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { atBaseNiceness, yieldToRunner } from '../priority.ts';
import { ownerEnv, recordProcess } from './owner.ts';

/** The only variables a child inherits from the runner's environment; its kind sets the rest. */
export const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'TMPDIR'] as const;

/** The runner's allowlisted variables, then `extra`, then the owner marker. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const inherited = INHERITED_ENV.flatMap((name) => {
    const value = process.env[name];
    return value === undefined ? [] : [[name, value] as const];
  });
  return { ...Object.fromEntries(inherited), ...extra, ...ownerEnv() };
}

export interface ProcessSpec {
  id: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  logFile: string;
}

/** The processes `pid`'s main thread started that are still running (none when `pid` is gone). */
export function childrenOf(pid: number): number[] {
  try {
    const listed = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ');
    return listed.filter((child) => child.trim() !== '').map(Number);
  } catch {
    return [];
  }
}

/** A process and every process it started, following the children each started from its main thread. */
export function processTree(pid: number): number[] {
  const tree: number[] = [];
  const pending = [pid];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    tree.push(next);
    pending.push(...childrenOf(next));
  }
  return tree;
}

/**
 * Resident memory (MB) of a process and its descendants, from /proc. It follows the children each process
 * started (the services start theirs from their main thread) rather than scanning every process for its
 * group: sampled every second for every node, a scan of /proc held the runner's main thread for tens of
 * milliseconds, and faults due meanwhile waited.
 */
export function treeMemoryMb(pid: number): number {
  let kb = 0;
  for (const member of processTree(pid)) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${member}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return Math.round(kb / 102.4) / 10;
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
    const env = childEnv(spec.env);
    const log = openSync(spec.logFile, 'a');
    try {
      const { command, args } = atBaseNiceness(spec.command, spec.args);
      const child = spawn(command, args, {
        cwd: spec.cwd,
        env,
        detached: true,
        stdio: ['ignore', log, log],
      });
      if (child.pid !== undefined) {
        recordProcess(child.pid);
        yieldToRunner(child.pid);
      }
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

  /** SIGSTOP to the whole group: the process is frozen, its sockets stay open. */
  pause(): void {
    this.signal('SIGSTOP');
  }

  resume(): void {
    this.signal('SIGCONT');
  }

  /** SIGTERM, then SIGKILL after a grace period (a paused process is woken so it can exit). */
  async stop(graceMs = 1500): Promise<void> {
    if (this.#exit !== null || this.child.pid === undefined) return;
    this.signal('SIGTERM');
    this.signal('SIGCONT');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
