/** Test helper: whether a process is still running, to check that nothing is left behind. */
import { readFileSync } from 'node:fs';

/** Alive and not a zombie waiting for init to collect it. */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
