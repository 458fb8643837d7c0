/** The reference app node (infra/app-node): its configuration errors, the app contract's pages and API, and
 * its memory and Redis session stores, Redis killed or paused included. */
import { expect } from 'chai';
import { createClient } from 'redis';
import { AppClient, type Reply } from '../../src/workload/http/app-client.ts';
import {
  type AppNode,
  killAll,
  type RedisServer,
  runToExit,
  sessionIdOf,
  startApp,
  startRedis,
  waitFor,
} from '../helpers/app-node-fixture.ts';
import { elementById, tags, textById } from '../helpers/html.ts';

const JSON_ACCEPT = { accept: 'application/json' };

async function loginJson(client: AppClient, user = 'alice'): Promise<Reply> {
  const reply = await client.request('/login', { json: { username: user, password: 'pw' } });
  expect(reply.status, reply.text).to.equal(200);
  return reply;
}

async function withRedis<T>(
  port: number,
  fn: (r: ReturnType<typeof createClient>) => Promise<T>,
): Promise<T> {
  const client = createClient({ url: `redis://127.0.0.1:${port}` });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    client.destroy();
  }
}

async function commandCalls(port: number, command: string): Promise<number> {
  const info = await withRedis(port, (r) => r.info('commandstats'));
  const match = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info);
  return match ? Number(match[1]) : 0;
}

function expectNode(reply: Reply, node: string): void {
  expect(reply.headers.get('x-node'), `X-Node on ${reply.status}`).to.equal(node);
}

describe('app-node', function () {
  this.timeout(60_000);
  after(killAll);

  describe('configuration errors', () => {
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['missing NODE_ID', { PORT: '18999' }, /NODE_ID is required/],
      ['invalid NODE_ID', { NODE_ID: 'a b', PORT: '18999' }, /NODE_ID "a b" is invalid/],
      ['missing PORT', { NODE_ID: 'x' }, /PORT is required/],
      ['non-numeric PORT', { NODE_ID: 'x', PORT: 'http' }, /PORT "http" is invalid/],
      [
        'unknown SESSION_STORE',
        { NODE_ID: 'x', PORT: '18999', SESSION_STORE: 'mongo' },
        /SESSION_STORE "mongo"/,
      ],
      [
        'redis without STORE_URL',
        { NODE_ID: 'x', PORT: '18999', SESSION_STORE: 'redis' },
        /STORE_URL is required/,
      ],
      [
        'STORE_URL not redis://',
        { NODE_ID: 'x', PORT: '18999', SESSION_STORE: 'redis', STORE_URL: 'http://h' },
        /STORE_URL "http:\/\/h" must start with redis:\/\//,
      ],
      [
        'bad LOG_REQUESTS',
        { NODE_ID: 'x', PORT: '18999', LOG_REQUESTS: 'yes' },
        /LOG_REQUESTS "yes" is invalid/,
      ],
      [
        'unknown SESSION_WRITES',
        { NODE_ID: 'x', PORT: '18999', SESSION_WRITES: 'merge' },
        /SESSION_WRITES "merge" is invalid: set SESSION_WRITES=whole \(the default\) or atomic/,
      ],
      [
        'atomic writes without Redis',
        { NODE_ID: 'x', PORT: '18999', SESSION_WRITES: 'atomic' },
        /SESSION_WRITES=atomic needs SESSION_STORE=redis or redis-sentinel \(Redis runs it as a script\), not memory/,
      ],
    ];
    for (const [name, env, message] of cases) {
      it(`exits 2 with one clear line: ${name}`, async () => {
        const result = await runToExit(env);
        expect(result.code).to.equal(2);
        expect(result.output).to.match(message);
        expect(result.output.trim().split('\n')).to.have.length(1);
      });
    }

    it('exits 3 when Redis cannot be reached at start', async () => {
      const env = { NODE_ID: 'x', PORT: '18999', SESSION_STORE: 'redis', STORE_WAIT_MS: '400' };
      const result = await runToExit({ ...env, STORE_URL: 'redis://127.0.0.1:1' });
      expect(result.code).to.equal(3);
      expect(result.output).to.match(/not reachable within 400 ms: start the store or fix STORE_URL/);
    });
  });

  describe('memory store', () => {
    let a: AppNode;
    let b: AppNode;

    before(async () => {
      [a, b] = await Promise.all([startApp('mem-a'), startApp('mem-b', { SESSION_STORE: 'memory' })]);
    });

    it('logs one start line', () => {
      expect(a.output()).to.equal(`app-node mem-a listening on http://127.0.0.1:${a.port} store=memory\n`);
    });

    it('answers /healthz with its node id', async () => {
      const reply = await new AppClient(a.url).request('/healthz');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ node: 'mem-a' });
    });

    it('redirects / to /cart', async () => {
      const reply = await new AppClient(a.url).request('/');
      expect([reply.status, reply.headers.get('location')]).to.deep.equal([303, '/cart']);
    });

    it('serves a login form, with the expiry notice only when asked', async () => {
      const page = await new AppClient(a.url).request('/login');
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.match(/^text\/html/);
      const form = tags(page.text, 'form').find((f) => f.id === 'login-form');
      expect(form).to.include({ method: 'post', action: '/login' });
      const loginForm = elementById(page.text, 'form', 'login-form') ?? '';
      const names = tags(loginForm, 'input').map((i) => i.name);
      expect(names).to.include.members(['username', 'password']);
      expect(tags(loginForm, 'button').some((btn) => btn.type === 'submit')).to.equal(true);
      expect(page.text).not.to.include('session expired');
      const expired = await new AppClient(a.url).request('/login?expired=1');
      expect(expired.text).to.include('Your session expired or was not found on this server');
    });

    it('without a session: /cart and form add redirect to the login, the API answers 401', async () => {
      const anon = new AppClient(a.url);
      for (const reply of [
        await anon.request('/cart'),
        await anon.request('/cart/items', { form: { item: 'x' } }),
      ]) {
        expect([reply.status, reply.headers.get('location')]).to.deep.equal([303, '/login?expired=1']);
      }
      for (const reply of [
        await anon.request('/api/cart'),
        await anon.request('/api/cart/items', { json: { item: 'x' } }),
      ]) {
        expect([reply.status, reply.json]).to.deep.equal([401, { error: 'no-session' }]);
      }
    });

    it('treats a forged or unknown cookie as no session', async () => {
      const forged = new AppClient(a.url);
      forged.jar.set('sid', 's%3Anot-a-session.bad-signature');
      expect((await forged.request('/api/cart')).status).to.equal(401);
      expect((await forged.request('/cart')).headers.get('location')).to.equal('/login?expired=1');
    });

    it('JSON flow: login, add, read; the cookie is sid, HttpOnly, SameSite=Lax, Path=/', async () => {
      const user = new AppClient(a.url);
      const login = await loginJson(user, 'alice');
      expect(login.json).to.deep.equal({ user: 'alice', items: [], version: 0, node: 'mem-a' });
      const cookie = login.headers.getSetCookie().find((c) => c.startsWith('sid=')) ?? '';
      expect(cookie).to.include('HttpOnly').and.include('SameSite=Lax').and.include('Path=/');
      const added = await user.request('/api/cart/items', { json: { item: 'apple' } });
      expect(added.json).to.deep.equal({ user: 'alice', items: ['apple'], version: 1, node: 'mem-a' });
      await user.request('/api/cart/items', { json: { item: 'pear' } });
      const read = await user.request('/api/cart');
      expect(read.json).to.deep.equal({ user: 'alice', items: ['apple', 'pear'], version: 2, node: 'mem-a' });
      expect(read.headers.getSetCookie(), 'a read sets no cookie').to.deep.equal([]);
    });

    it('form flow: login redirects to a cart page that shows user, version, node and items', async () => {
      const user = new AppClient(a.url);
      const login = await user.request('/login', { form: { username: 'bob', password: 'pw' } });
      expect([login.status, login.headers.get('location')]).to.deep.equal([303, '/cart']);
      const empty = await user.request('/cart');
      expect(empty.status).to.equal(200);
      expect([
        textById(empty.text, 'user'),
        textById(empty.text, 'version'),
        textById(empty.text, 'node'),
      ]).to.deep.equal(['bob', '0', 'mem-a']);
      expect(tags(empty.text, 'li')).to.deep.equal([]);
      const add = await user.request('/cart/items', { form: { item: 'sku-1' } });
      expect([add.status, add.headers.get('location')]).to.deep.equal([303, '/cart']);
      await user.request('/cart/items', { form: { item: 'sku-2' } });
      const page = (await user.request('/cart')).text;
      expect(textById(page, 'version')).to.equal('2');
      const items = tags(elementById(page, 'ul', 'items') ?? '', 'li').map((li) => li['data-item']);
      expect(items).to.deep.equal(['sku-1', 'sku-2']);
      expect(tags(page, 'form').map((f) => [f.id, f.method, f.action])).to.deep.include.members([
        ['add-form', 'post', '/cart/items'],
        ['logout-form', 'post', '/logout'],
      ]);
      expect(tags(elementById(page, 'form', 'add-form') ?? '', 'input').map((i) => i.name)).to.include(
        'item',
      );
    });

    it('escapes user input in pages', async () => {
      const user = new AppClient(a.url);
      await user.request('/login', { form: { username: '<script>alert(1)</script>', password: 'pw' } });
      await user.request('/cart/items', { form: { item: '"><img src=x onerror=alert(1)>' } });
      const page = (await user.request('/cart')).text;
      expect(page).not.to.include('<script>alert');
      expect(page).not.to.include('<img');
      expect(textById(page, 'user')).to.equal('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(tags(page, 'li')[0]?.['data-item']).to.equal('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    });

    it('answers 400 for empty credentials, a missing item and malformed JSON', async () => {
      const anon = new AppClient(a.url);
      const noPassword = await anon.request('/login', { json: { username: 'x', password: '' } });
      expect([noPassword.status, noPassword.json]).to.deep.equal([400, { error: 'missing-credentials' }]);
      const blankUser = await anon.request('/login', { form: { username: '  ', password: 'pw' } });
      expect(blankUser.status).to.equal(400);
      expect(tags(blankUser.text, 'form').some((f) => f.id === 'login-form')).to.equal(true);
      const malformed = await anon.request('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      expect(malformed.status).to.equal(400);
      const user = new AppClient(a.url);
      await loginJson(user);
      const noItem = await user.request('/api/cart/items', { json: {} });
      expect([noItem.status, noItem.json]).to.deep.equal([400, { error: 'missing-item' }]);
      const notString = await user.request('/api/cart/items', { json: { item: 42 } });
      expect(notString.status).to.equal(400);
      expect((await user.request('/cart/items', { form: { item: '' } })).status).to.equal(400);
      expect((await user.request('/api/cart')).json).to.include({ version: 0 });
    });

    it('a new login replaces the session: the old cookie no longer works', async () => {
      const user = new AppClient(a.url);
      await loginJson(user, 'carol');
      const old = new AppClient(a.url, user.jar.copy());
      await loginJson(user, 'carol');
      expect(user.jar.get('sid')).not.to.equal(old.jar.get('sid'));
      expect((await old.request('/api/cart')).status).to.equal(401);
      expect((await user.request('/api/cart')).status).to.equal(200);
    });

    it('logout (JSON) destroys the session on the server, not just the cookie', async () => {
      const user = new AppClient(a.url);
      await loginJson(user);
      const replay = new AppClient(a.url, user.jar.copy());
      const out = await user.request('/logout', { method: 'POST', headers: JSON_ACCEPT });
      expect([out.status, out.json]).to.deep.equal([200, { ok: true }]);
      expect(user.jar.get('sid'), 'cookie cleared').to.equal(undefined);
      expect((await replay.request('/api/cart')).status).to.equal(401);
    });

    it('logout (form) redirects to /login and the cart is gone', async () => {
      const user = new AppClient(a.url);
      await user.request('/login', { form: { username: 'dave', password: 'pw' } });
      const replay = new AppClient(a.url, user.jar.copy());
      const out = await user.request('/logout', { form: {} });
      expect([out.status, out.headers.get('location')]).to.deep.equal([303, '/login']);
      expect((await replay.request('/cart')).headers.get('location')).to.equal('/login?expired=1');
    });

    it('answers 404 as JSON under /api and as HTML elsewhere', async () => {
      const anon = new AppClient(a.url);
      const api = await anon.request('/api/nothing');
      expect([api.status, api.json]).to.deep.equal([404, { error: 'not-found' }]);
      const page = await anon.request('/nothing');
      expect(page.status).to.equal(404);
      expect(page.headers.get('content-type')).to.match(/^text\/html/);
      expect(textById(page.text, 'node')).to.equal('mem-a');
    });

    it('sets X-Node on every kind of response', async () => {
      const user = new AppClient(a.url);
      const replies = [
        await user.request('/healthz'),
        await user.request('/'),
        await user.request('/login'),
        await user.request('/cart'),
        await user.request('/api/cart'),
        await user.request('/nope'),
        await user.request('/login', { json: { username: '' } }),
        await user.request('/login', { json: { username: 'eve', password: 'pw' } }),
        await user.request('/api/cart/items', { json: { item: 'a' } }),
        await user.request('/cart/items', { form: { item: 'b' } }),
        await user.request('/cart'),
        await user.request('/logout', { form: {} }),
      ];
      expect(new Set(replies.map((r) => r.status))).to.include.members([200, 303, 400, 401, 404]);
      for (const reply of replies) expectNode(reply, 'mem-a');
      expectNode(await user.on(b.url).request('/nope'), 'mem-b');
    });

    it('does not share sessions between nodes: node B answers 401 for a session made on node A', async () => {
      const user = new AppClient(a.url);
      await loginJson(user);
      expect((await user.request('/api/cart')).status).to.equal(200);
      const onB = await user.on(b.url).request('/api/cart');
      expect([onB.status, onB.json]).to.deep.equal([401, { error: 'no-session' }]);
      expectNode(onB, 'mem-b');
    });

    it('logs each request only when LOG_REQUESTS=1', async () => {
      const verbose = await startApp('mem-log', { LOG_REQUESTS: '1' });
      await new AppClient(verbose.url).request('/api/cart');
      await waitFor('request log line', async () => verbose.output().includes('GET /api/cart 401'));
      await new AppClient(a.url).request('/api/cart');
      expect(a.output()).not.to.include('/api/cart');
    });

    it('shuts down cleanly on SIGTERM', async () => {
      const node = await startApp('mem-stop');
      const start = performance.now();
      expect(await node.stop('SIGTERM')).to.equal(0);
      expect(performance.now() - start).to.be.below(3000);
    });
  });

  describe('redis store', () => {
    let redis: RedisServer;
    let a: AppNode;
    let b: AppNode;
    const env = () => ({ SESSION_STORE: 'redis', STORE_URL: redis.url, STORE_TIMEOUT_MS: '500' });

    before(async () => {
      redis = await startRedis();
      [a, b] = await Promise.all([startApp('redis-a', env()), startApp('redis-b', env())]);
    });

    it('logs one start line naming the store', () => {
      expect(a.output()).to.equal(`app-node redis-a listening on http://127.0.0.1:${a.port} store=redis\n`);
    });

    it('shares sessions: made on node A, read and changed on node B, seen again on A', async () => {
      const user = new AppClient(a.url);
      await loginJson(user, 'frank');
      const onB = user.on(b.url);
      const read = await onB.request('/api/cart');
      expect(read.json).to.deep.equal({ user: 'frank', items: [], version: 0, node: 'redis-b' });
      expectNode(read, 'redis-b');
      await onB.request('/api/cart/items', { json: { item: 'from-b' } });
      const back = await user.request('/api/cart');
      expect(back.json).to.deep.equal({ user: 'frank', items: ['from-b'], version: 1, node: 'redis-a' });
      const page = (await onB.request('/cart')).text;
      expect([textById(page, 'user'), textById(page, 'node')]).to.deep.equal(['frank', 'redis-b']);
    });

    it('writes through: the store has each change before the redirect is sent', async () => {
      const stored = async (user: AppClient) =>
        JSON.parse((await withRedis(redis.port, (r) => r.get(`sess:${sessionIdOf(user)}`))) ?? '{}');
      // Hold Redis writes for a moment: a response sent before its save completed would arrive first.
      const holdWrites = () =>
        withRedis(redis.port, (r) => r.sendCommand(['CLIENT', 'PAUSE', '300', 'WRITE']));
      const user = new AppClient(a.url);
      await holdWrites();
      const login = await user.send('/login', { form: { username: 'gina', password: 'pw' } });
      expect(await stored(user), 'session stored when the login redirect arrives').to.include({
        user: 'gina',
      });
      expect(login.status).to.equal(303);
      await login.text();
      await holdWrites();
      const add = await user.send('/cart/items', { form: { item: 'now' } });
      expect(await stored(user), 'item stored when the add redirect arrives').to.deep.include({
        items: ['now'],
        version: 1,
      });
      expect(add.status).to.equal(303);
      await add.text();
    });

    it('reads do not write to the store', async () => {
      const user = new AppClient(a.url);
      await loginJson(user);
      const before = {
        set: await commandCalls(redis.port, 'set'),
        expire: await commandCalls(redis.port, 'expire'),
      };
      await user.request('/api/cart');
      await user.request('/cart');
      await user.on(b.url).request('/api/cart');
      expect({
        set: await commandCalls(redis.port, 'set'),
        expire: await commandCalls(redis.port, 'expire'),
      }).to.deep.equal(before);
      await user.request('/api/cart/items', { json: { item: 'x' } });
      expect(await commandCalls(redis.port, 'set')).to.equal(before.set + 1);
    });

    it('logout on one node logs the user out on the other', async () => {
      const user = new AppClient(a.url);
      await loginJson(user);
      const onB = new AppClient(b.url, user.jar.copy());
      await user.request('/logout', { method: 'POST', headers: JSON_ACCEPT });
      expect((await onB.request('/api/cart')).status).to.equal(401);
    });

    it('Redis killed: 503 quickly (never "no session"), healthz stays up; Redis back: serves again', async () => {
      const user = new AppClient(a.url);
      await loginJson(user, 'hank');
      await redis.process.kill();
      try {
        const replies = [
          await user.request('/api/cart'),
          await user.request('/api/cart/items', { json: { item: 'lost' } }),
          await user.on(b.url).request('/api/cart'),
          await new AppClient(a.url).request('/login', { json: { username: 'ivan', password: 'pw' } }),
        ];
        for (const reply of replies) {
          expect([reply.status, reply.json]).to.deep.equal([503, { error: 'store-unavailable' }]);
          expect(reply.ms).to.be.below(2000);
          expect(reply.headers.getSetCookie(), 'no cookie for a session that was not stored').to.deep.equal(
            [],
          );
        }
        expectNode(replies[2] as Reply, 'redis-b');
        const page = await user.request('/cart');
        expect(page.status).to.equal(503);
        expect(page.headers.get('content-type')).to.match(/^text\/html/);
        expect((await user.request('/healthz')).status).to.equal(200);
      } finally {
        redis = await startRedis(redis.port);
      }
      const fresh = new AppClient(a.url);
      await waitFor('node A to log in through the restarted Redis', async () => {
        const r = await fresh.request('/login', { json: { username: 'ivan', password: 'pw' } });
        return r.status === 200;
      });
      await waitFor('node B to read through the restarted Redis', async () => {
        return (await fresh.on(b.url).request('/api/cart')).status === 200;
      });
      const gone = await user.request('/api/cart');
      expect([gone.status, gone.json], 'Redis ran without persistence').to.deep.equal([
        401,
        { error: 'no-session' },
      ]);
      expect(a.output()).to.match(/redis redis:\/\/127\.0\.0\.1:\d+: .*reconnecting/);
      expect(a.output()).to.include('connected again');
      expect(a.output(), 'no error escaped after a response').not.to.match(
        /StoreUnavailableError|after the response/,
      );
    });

    it('Redis paused: 503 within the store timeout, then the same session again once resumed', async () => {
      const user = new AppClient(a.url);
      await loginJson(user, 'judy');
      await user.request('/api/cart/items', { json: { item: 'kept' } });
      redis.process.pause();
      try {
        const stalled = await user.request('/api/cart');
        expect([stalled.status, stalled.json]).to.deep.equal([503, { error: 'store-unavailable' }]);
        expect(stalled.ms).to.be.within(400, 2000);
      } finally {
        redis.process.resume();
      }
      await waitFor(
        'the session to be readable again',
        async () => (await user.request('/api/cart')).status === 200,
      );
      expect((await user.on(b.url).request('/api/cart')).json).to.deep.include({
        user: 'judy',
        items: ['kept'],
      });
    });

    it('shuts down cleanly on SIGTERM while connected to Redis', async () => {
      const node = await startApp('redis-stop', env());
      expect(await node.stop('SIGTERM')).to.equal(0);
    });
  });
});
