/** Users speaking through an app's adapter: how answers become outcomes (view, no session, unknown, error),
 * how adapter bugs are named, and that the documented sample adapter is the one tested. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { WorkloadClock } from '../../src/history/clock.ts';
import { AdapterError, type AppAnswer, type AppRequest } from '../../src/model/adapter.ts';
import { NO_SESSION } from '../../src/model/op.ts';
import { AdapterClient, type Transport } from '../../src/workload/adapter-client.ts';
import { contractAdapter } from '../../src/workload/adapters/contract.ts';

/** A transport that answers from a table (path → status and JSON), or fails the request for a path. */
function transport(answers: Record<string, [number, unknown] | 'reset'>): Transport & { sent: AppRequest[] } {
  const sent: AppRequest[] = [];
  return {
    client: 'http',
    sent,
    async send(request): Promise<AppAnswer> {
      sent.push(request);
      const answer = answers[request.path];
      if (answer === undefined || answer === 'reset')
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      const [status, json] = answer;
      const header = (name: string) => (name === 'x-served-by' ? 'app-2' : null);
      return { status, header, text: JSON.stringify(json), json, url: request.path };
    },
    sessionHash: async () => 'abcd1234',
    close: async () => undefined,
  };
}

const client = (answers: Record<string, [number, unknown] | 'reset'>, adapter = contractAdapter) =>
  new AdapterClient('u1', { adapter, name: 'test.adapter.ts' }, transport(answers), new WorkloadClock());

describe('a user speaking through an adapter', () => {
  it('takes the session from view and the node from the load balancer', async () => {
    const [op] = await client({ '/api/cart': [200, { user: 'u1', items: ['a'], version: 1 }] }).read();
    expect(op).to.include({ op: 'read', outcome: 'ok', status: 200, node: 'app-2', session: 'abcd1234' });
    expect(op?.read).to.deep.equal({ user: 'u1', items: ['a'], version: 1 });
  });

  it('marks what noSession says as no session, and any other 4xx as an error', async () => {
    const [gone] = await client({ '/api/cart': [401, { error: 'no-session' }] }).read();
    expect(gone).to.include({ outcome: 'fail', error: NO_SESSION });
    const [bad] = await client({ '/api/cart/items': [422, {}] }).add('x');
    expect(bad).to.include({ outcome: 'fail', error: 'HTTP 422', wrote: 'x' });
  });

  it('a read whose answer shows no session is unknown, never a view', async () => {
    const [op] = await client({ '/api/cart': [200, { nothing: true }] }).read();
    expect(op).to.include({ outcome: 'info', error: 'answer shows no session' });
    expect(op?.read).to.equal(undefined);
  });

  it('a request that fails is an unknown outcome with its error, not the adapter throwing', async () => {
    const [op] = await client({ '/api/cart/items': 'reset' }).add('y');
    expect(op).to.include({ outcome: 'info', status: null, node: null, error: 'ECONNRESET', wrote: 'y' });
  });

  it("the adapter's own code throwing is an AdapterError naming it, the function and the answer", async () => {
    const adapter = { ...contractAdapter, view: () => ({ items: 'a,b' as unknown as string[] }) };
    const error = await client({ '/api/cart': [200, { items: [] }] }, adapter)
      .read()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).to.be.instanceOf(AdapterError);
    expect((error as Error).message).to.match(
      /^the adapter test\.adapter\.ts threw in noSession or view, reading the answer to read \(HTTP 200, "\{\\"items\\":\[\]\}"\): .*map/,
    );
    const throwing = { ...contractAdapter, login: () => Promise.reject(new TypeError('boom')) };
    const login = await client({}, throwing)
      .login()
      .catch((e: Error) => e.message);
    expect(login).to.equal('the adapter test.adapter.ts threw in login: boom');
  });
});

describe('the sample adapter in docs/your-app.md', () => {
  it('is the adapter the tests run (test/fixtures/shop-app), complete, in under 40 lines', () => {
    const fixture = readFileSync('test/fixtures/shop-app/shop.adapter.ts', 'utf8');
    const code = fixture.slice(fixture.indexOf('import type'));
    expect(readFileSync('docs/your-app.md', 'utf8')).to.contain(`// shop.adapter.ts\n${code}`);
    expect(code.trimEnd().split('\n').length + 1).to.be.below(40);
  });
});
