/** What the kernel says of our processes and their connections, from /proc. */
import { readFileSync } from 'node:fs';

/** The kernel's state number of an established TCP connection in /proc/net/tcp. */
const ESTABLISHED = '01';

/**
 * How many established TCP connections a process's network namespace holds whose local port is `port`:
 * the connections clients have open to a server listening there. From `/proc/<pid>/net/tcp` (and tcp6),
 * which shows the namespace of that process (a container's, for a container's process). Null when the
 * table cannot be read (the process is gone, or runs where this machine cannot see it).
 */
export function establishedOnPort(pid: number, port: number): number | null {
  let count = 0;
  let read = false;
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    read = true;
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st …, addresses as HEXIP:HEXPORT
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== ESTABLISHED || local === undefined) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) count += 1;
    }
  }
  return read ? count : null;
}

/** Whether every process of a group is stopped (state T: SIGSTOP); null when none can be read. */
export function allStopped(pids: number[]): boolean | null {
  const states = pids.flatMap((pid) => {
    try {
      // pid (comm) state …: comm may hold spaces and parentheses, the state follows the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return [stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)];
    } catch {
      return [];
    }
  });
  if (states.length === 0) return null;
  return states.every((s) => s === 'T' || s === 't');
}
