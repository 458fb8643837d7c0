/** What an op was, as the checkers read it: an error, no session, a view of the cart, an acknowledged add. */
import { NO_SESSION, type Op } from '../model/op.ts';

export const isNoSession = (op: Op): boolean => op.error === NO_SESSION;

/** Any op that did not work and was not a "no session": a 5xx, no answer, any other 4xx, a page not shown. */
export const isError = (op: Op): boolean => !isNoSession(op) && op.outcome !== 'ok';

/** Ops that showed the session's contents: successful reads, and writes whose response carried the cart. */
export const isView = (op: Op): op is Op & { read: NonNullable<Op['read']> } =>
  op.outcome === 'ok' && op.read !== undefined && !isNoSession(op);

/** An op a user experienced as a failure: an error, or no session. */
export const isFailure = (op: Op): boolean => isError(op) || isNoSession(op);

export const isAckedAdd = (op: Op): op is Op & { wrote: string } =>
  op.op === 'add' && op.outcome === 'ok' && op.wrote !== undefined;
