/** A browser user's navigation turned into history ops: the action, then the page it led to as a read. */
import { type CartView, NO_SESSION, type Op, type OpKind } from '../../model/op.ts';
import { outcomeOf } from '../outcome.ts';
import type { Hop } from './navigation.ts';

export interface HopContext {
  user: string;
  epoch: number;
  /** When the user acted (clicked, or asked for the page): the first op's start. */
  actionStart: number;
  /** When the page's content had been read: the last view's end. */
  viewEnd: number;
  /** What the final page showed, if it was the cart. */
  view: CartView | null;
  wrote?: string;
}

const expired = (hop: Hop): boolean => hop.status === 303 && (hop.location ?? '').includes('expired=1');
const isCartGet = (hop: Hop): boolean => hop.method === 'GET' && hop.path.startsWith('/cart');

/**
 * Turns one browser navigation (a form submission or a page visit and its redirects) into history ops:
 * the action itself, then the cart page it led to as a read.
 */
export function opsFromHops(kind: OpKind, hops: Hop[], ctx: HopContext): Op[] {
  const [first, second] = hops;
  if (!first) return [];
  const ops = [hopOp(kind, first, ctx, ctx.actionStart, hops.length === 1)];
  if (kind !== 'read' && second && !expired(first) && isCartGet(second))
    // The browser asks for the page only once the redirect to it has arrived, whatever the clocks say.
    ops.push(hopOp('read', second, ctx, Math.max(second.start, first.end), hops.length === 2));
  if (ctx.wrote !== undefined && ops[0]) ops[0].wrote = ctx.wrote;
  return ops;
}

function hopOp(kind: OpKind, hop: Hop, ctx: HopContext, start: number, last: boolean): Op {
  const op: Op = {
    user: ctx.user,
    client: 'browser',
    op: kind,
    start,
    end: hop.end,
    node: hop.node,
    status: hop.status,
    outcome: outcomeOf(hop.status),
    epoch: ctx.epoch,
  };
  if (expired(hop)) return { ...op, outcome: 'fail', error: NO_SESSION };
  if (hop.status !== null && hop.status >= 400) return { ...op, error: `HTTP ${hop.status}` };
  if (isCartGet(hop) && hop.status === 200) {
    if (last && ctx.view) return { ...op, end: ctx.viewEnd, read: ctx.view };
    return { ...op, outcome: 'info', error: 'cart page not shown' };
  }
  return op;
}
