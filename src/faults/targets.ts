import { usersPerNode } from '../checkers/pinning.ts';
import type { Op } from '../history/op.ts';

/**
 * Picks the node a fault hits: `app:any` (a seeded random choice among running nodes), `app:busiest` (the
 * node the most users were last served by: with sticky sessions, the most pinned users), or `app:<id>`.
 */
export function chooseTarget(
  target: string,
  running: string[],
  historySoFar: Op[],
  atMs: number,
  random: () => number,
): string {
  const [, choice = ''] = target.split(':');
  if (running.length === 0) throw new Error(`no running node to hit with ${target}`);
  if (choice === 'any') return running[Math.floor(random() * running.length)] as string;
  if (choice === 'busiest') return usersPerNode(historySoFar, atMs, running)[0]?.[0] as string;
  if (!running.includes(choice))
    throw new Error(`${target}: ${choice} is not a running node; running: ${running.join(', ')}`);
  return choice;
}
