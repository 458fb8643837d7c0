import { readFileSync, writeFileSync } from 'node:fs';
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

/**
 * Raises the calling thread, and the runner's scheduling group; returns how to put them back. With
 * autogroups (Linux's default on desktops and on this machine), the kernel first shares the CPU between
 * sessions, and every service is started in a session of its own: a thread's niceness then only counts
 * against the runner's own threads, and its main thread waited up to half a second for a turn.
 */
export function runAhead(): () => void {
  try {
    setPriority(BASE + AHEAD);
  } catch {
    return () => undefined; // not allowed: the runner keeps its niceness
  }
  const group = autogroupNice();
  if (group !== null) setAutogroupNice(group + AHEAD);
  return () => {
    setPriority(BASE);
    if (group !== null) setAutogroupNice(group);
  };
}

const AUTOGROUP = '/proc/self/autogroup';

/** The niceness of the runner's autogroup (`/autogroup-42 nice 0`), or null without autogroups. */
function autogroupNice(): number | null {
  try {
    const nice = /nice (-?\d+)/.exec(readFileSync(AUTOGROUP, 'utf8'))?.[1];
    return nice === undefined ? null : Number(nice);
  } catch {
    return null;
  }
}

function setAutogroupNice(nice: number): void {
  try {
    writeFileSync(AUTOGROUP, String(nice));
  } catch {
    // Autogroups disabled, or not allowed: the thread's niceness still helps against the runner's own threads.
  }
}

/** A command started from this thread at the runner's own niceness (through `nice` while it runs ahead). */
export function atBaseNiceness(command: string, args: string[]): { command: string; args: string[] } {
  const undo = BASE - getPriority();
  return undo > 0 ? { command: 'nice', args: ['-n', String(undo), command, ...args] } : { command, args };
}
