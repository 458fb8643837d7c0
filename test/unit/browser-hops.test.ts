/** How a browser user's navigations (POSTs, redirects, pages) become history ops: acknowledged adds, reads,
 * logouts and unknown outcomes. */
import { expect } from 'chai';
import { opsFromHops } from '../../src/workload/browser/hops.ts';
import type { Hop } from '../../src/workload/browser/navigation.ts';

const hop = (method: string, path: string, status: number | null, extra: Partial<Hop> = {}): Hop => ({
  method,
  path,
  status,
  node: 'app-1',
  location: null,
  start: 10,
  end: 20,
  ...extra,
});
const cart = { user: 'b01', items: ['b01-1'], version: 1 };
const ctx = { user: 'b01', epoch: 2, actionStart: 5, viewEnd: 40, view: cart };

describe('browser navigation → history ops', () => {
  it('turns an add (POST 303 → GET /cart) into an acknowledged add and a read of the page', () => {
    const hops = [
      hop('POST', '/cart/items', 303, { location: '/cart', end: 12 }),
      hop('GET', '/cart', 200, { node: 'app-2', start: 13, end: 30 }),
    ];
    const ops = opsFromHops('add', hops, { ...ctx, wrote: 'b01-1' });
    expect(ops).to.deep.equal([
      {
        user: 'b01',
        client: 'browser',
        op: 'add',
        start: 5,
        end: 12,
        node: 'app-1',
        status: 303,
        outcome: 'ok',
        epoch: 2,
        wrote: 'b01-1',
      },
      {
        user: 'b01',
        client: 'browser',
        op: 'read',
        start: 13,
        end: 40,
        node: 'app-2',
        status: 200,
        outcome: 'ok',
        epoch: 2,
        read: cart,
      },
    ]);
  });

  it('marks an add redirected to /login?expired=1 as a definite failure: no session', () => {
    const hops = [
      hop('POST', '/cart/items', 303, { location: '/login?expired=1' }),
      hop('GET', '/login?expired=1', 200),
    ];
    const [add, ...rest] = opsFromHops('add', hops, { ...ctx, view: null, wrote: 'x' });
    expect(rest).to.deep.equal([]);
    expect(add).to.include({ op: 'add', outcome: 'fail', error: 'no-session', wrote: 'x' });
  });

  it('marks a write that worked but whose cart page found no session: the read is the logout', () => {
    const hops = [
      hop('POST', '/cart/items', 303, { location: '/cart' }),
      hop('GET', '/cart', 303, { location: '/login?expired=1', node: 'app-3' }),
      hop('GET', '/login?expired=1', 200),
    ];
    const ops = opsFromHops('add', hops, { ...ctx, view: null, wrote: 'x' });
    expect(ops.map((o) => [o.op, o.outcome, o.error])).to.deep.equal([
      ['add', 'ok', undefined],
      ['read', 'fail', 'no-session'],
    ]);
  });

  it('keeps a 502 from the load balancer as unknown, never as a logout', () => {
    const [add] = opsFromHops('add', [hop('POST', '/cart/items', 502, { node: null })], {
      ...ctx,
      view: null,
      wrote: 'x',
    });
    expect(add).to.include({ outcome: 'info', error: 'HTTP 502' });
  });

  it('turns a page visit into one read carrying what the page showed', () => {
    const ops = opsFromHops('read', [hop('GET', '/cart', 200)], ctx);
    expect(ops).to.have.length(1);
    expect(ops[0]).to.include({ op: 'read', outcome: 'ok', start: 5, end: 40 });
    expect(ops[0]?.read).to.deep.equal(cart);
  });
});
