import type { Op } from '../model/op.ts';
import { byUser } from './ops.ts';

/**
 * The node each user was last served by, successfully, before `atMs`: with sticky sessions, the node the
 * user is pinned to. Users with no successful op before then are absent.
 */
export function lastNodeByUser(history: Op[], atMs: number): Map<string, string> {
  const pinned = new Map<string, string>();
  for (const [user, ops] of byUser(history)) {
    const last = ops.filter((op) => op.outcome === 'ok' && op.node && op.end <= atMs).at(-1);
    if (last?.node) pinned.set(user, last.node);
  }
  return pinned;
}

/** Users per node from `lastNodeByUser`, most first; ties keep node order. */
export function usersPerNode(history: Op[], atMs: number, nodes: string[]): [string, number][] {
  const counts = new Map<string, number>(nodes.map((node) => [node, 0]));
  for (const node of lastNodeByUser(history, atMs).values()) counts.set(node, (counts.get(node) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}
