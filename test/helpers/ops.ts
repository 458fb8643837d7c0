/** Test helpers: hand-made history ops (login, add, read, no session) for checker tests. */
import type { Op } from '../../src/model/op.ts';

/** Builds hand-made history ops for checker tests: sensible defaults, override what the test is about. */
export function op(fields: Partial<Op> & Pick<Op, 'op' | 'start'>): Op {
  return {
    user: 'u1',
    client: 'http',
    end: fields.start + 5,
    node: 'app-1',
    status: 200,
    outcome: 'ok',
    epoch: 1,
    ...fields,
  };
}

export const login = (start: number, extra: Partial<Op> = {}): Op =>
  op({ op: 'login', start, read: { user: extra.user ?? 'u1', items: [], version: 0 }, ...extra });

export const add = (start: number, item: string, items: string[], extra: Partial<Op> = {}): Op =>
  op({
    op: 'add',
    start,
    wrote: item,
    read: { user: extra.user ?? 'u1', items, version: items.length },
    ...extra,
  });

export const read = (start: number, items: string[], extra: Partial<Op> = {}): Op =>
  op({ op: 'read', start, read: { user: extra.user ?? 'u1', items, version: items.length }, ...extra });

export const noSession = (start: number, extra: Partial<Op> = {}): Op =>
  op({ op: 'read', start, status: 401, outcome: 'fail', error: 'no-session', ...extra });
