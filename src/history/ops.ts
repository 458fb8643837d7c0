import { NO_SESSION, type Op } from '../model/op.ts';

/** Small pure helpers over histories shared by the checkers. */
export const isNoSession = (op: Op): boolean => op.error === NO_SESSION;

export const isError = (op: Op): boolean =>
  !isNoSession(op) && op.outcome !== 'ok' && ((op.status ?? 0) >= 500 || op.status === null);

/** Ops that showed the session's contents: successful reads, and writes whose response carried the cart. */
export const isView = (op: Op): op is Op & { read: NonNullable<Op['read']> } =>
  op.outcome === 'ok' && op.read !== undefined && !isNoSession(op);

export const isAckedAdd = (op: Op): op is Op & { wrote: string } =>
  op.op === 'add' && op.outcome === 'ok' && op.wrote !== undefined;

export function byStart(a: Op, b: Op): number {
  return a.start - b.start || a.end - b.end;
}

/** Groups ops by a key, keeping each group in start order. */
export function groupBy(history: Op[], key: (op: Op) => string): Map<string, Op[]> {
  const groups = new Map<string, Op[]>();
  for (const op of history) {
    const k = key(op);
    const group = groups.get(k);
    if (group) group.push(op);
    else groups.set(k, [op]);
  }
  for (const group of groups.values()) group.sort(byStart);
  return groups;
}

export const byUser = (history: Op[]): Map<string, Op[]> => groupBy(history, (op) => op.user);

export const byUserEpoch = (history: Op[]): Map<string, Op[]> =>
  groupBy(history, (op) => `${op.user}\u0000${op.epoch}`);
