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
