/** Keeping the runner ahead of the cluster it measures on a busy machine, so that faults act on time. */
import { writeFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * While a workload runs, the runner's main thread — it applies the faults and stamps browser users' ops —
 * runs ahead of the cluster it measures (nice −10): on 2 busy cores a fault due at 10 s then acts at 10 s,
 * not whenever the scheduler gets round to the runner. It needs root or CAP_SYS_NICE; without, nothing
 * changes. Linux niceness belongs to a thread and is inherited by what it starts, so a process started
 * meanwhile (a node restarted by a heal) is started through `nice` back at the runner's own niceness.
 */
const AHEAD = -10;
const BASE = getPriority();

/** Raises the calling thread; returns how to put it back. */
export function runAhead(): () => void {
  try {
    setPriority(BASE + AHEAD);
  } catch {
    return () => undefined; // not allowed: the runner keeps its niceness
  }
  return () => setPriority(BASE);
}

/** A command started from this thread at the runner's own niceness (through `nice` while it runs ahead). */
export function atBaseNiceness(command: string, args: string[]): { command: string; args: string[] } {
  const undo = BASE - getPriority();
  return undo > 0 ? { command: 'nice', args: ['-n', String(undo), command, ...args] } : { command, args };
}

/** How far a service's session yields to the runner's: as far as the runner's main thread runs ahead. */
const SERVICE_SESSION_NICE = String(-AHEAD);

/**
 * Weighs a service's session below the runner's. With autogroups (Linux's default, and this machine's)
 * the kernel first shares the CPU between sessions, and every service runs in a session of its own: the
 * runner, one session among eight, got an eighth of the CPU, its thread's niceness counted only against its
 * own threads, its main thread waited on the run queue for up to half a second at a time, and the HTTP users
 * it starved measured their own waiting as the cluster's latency. Lowering our own processes' priority
 * needs no privilege, and goes with them. Without autogroups this does nothing.
 */
export function yieldToRunner(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, SERVICE_SESSION_NICE);
  } catch {
    // No autogroups here, or the process is already gone.
  }
}
