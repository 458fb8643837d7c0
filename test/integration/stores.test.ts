/** The session store strategies on real Memcached, MariaDB, Redis with AOF and Sentinel: sessions shared by
 * nodes, kept or lost on a store restart, failover, replica reads, and concurrent adds. */
import { expect } from 'chai';
import { LinkControl } from '../../src/runtime/link-control.ts';
import type { Cluster } from '../../src/runtime/runtime.ts';
import { AppClient } from '../../src/workload/http/app-client.ts';
import { withCluster } from '../helpers/cluster.ts';
import { waitFor } from '../helpers/wait.ts';

const ALICE = { json: { username: 'alice', password: 'pw' } };

/** A user who logs in through app-1 and adds an item there. */
async function sessionOn(cluster: Cluster): Promise<AppClient> {
  const user = new AppClient(cluster.url('app-1'));
  expect((await user.request('/login', ALICE)).status).to.equal(200);
  expect((await user.request('/api/cart/items', { json: { item: 'apple' } })).status).to.equal(200);
  return user;
}

/** What app-2 answers for the user's cart, once the store answers again (a restart takes a moment). */
async function readOnAnother(cluster: Cluster, user: AppClient): Promise<{ status: number; json: unknown }> {
  let last = { status: 0, json: undefined as unknown };
  await waitFor('the store to answer through app-2', async () => {
    last = await user.on(cluster.url('app-2')).request('/api/cart');
    return last.status === 200 || last.status === 401;
  });
  return last;
}

describe('session stores on the local runtime (real Memcached, MariaDB, Redis with AOF, Redis with Sentinel)', function () {
  this.timeout(120_000);

  for (const [strategy, keeps] of [
    ['memcached', false],
    ['mysql', true],
    ['redis-aof', true],
  ] as const)
    it(`${strategy}: a session made through one node is read through another; after a store restart it is ${keeps ? 'still there' : 'gone'}`, () =>
      withCluster(strategy, async (cluster) => {
        const user = await sessionOn(cluster);
        const read = await user.on(cluster.url('app-2')).request('/api/cart');
        expect(read.json).to.deep.include({ user: 'alice', items: ['apple'], node: 'app-2' });
        const store = cluster.topology.services.find((s) => s.role === 'store')?.id ?? '';
        await cluster.kill(store);
        expect(
          (await user.request('/api/cart')).status,
          'the store is down: unavailable, never "no session"',
        ).to.equal(503);
        await cluster.restart(store);
        const after = await readOnAnother(cluster, user);
        if (keeps) expect(after.json).to.deep.include({ user: 'alice', items: ['apple'] });
        else expect([after.status, after.json]).to.deep.equal([401, { error: 'no-session' }]);
      }));

  it('redis-replicated: Sentinel promotes the replica when the primary dies; every node follows, the session survives', () =>
    withCluster('redis-replicated', async (cluster) => {
      const user = await sessionOn(cluster);
      expect(await cluster.storePrimary()).to.equal('redis-1');
      await cluster.kill('redis-1');
      await waitFor(
        'Sentinel to name redis-2 the primary',
        async () => (await cluster.storePrimary()) === 'redis-2',
        15_000,
      );
      for (const node of ['app-1', 'app-2', 'app-3'])
        await waitFor(
          `${node} to follow to redis-2`,
          async () => {
            const read = await user.on(cluster.url(node)).request('/api/cart');
            return (
              read.status === 200 && JSON.stringify((read.json as { items: string[] }).items) === '["apple"]'
            );
          },
          15_000,
        );
      // The old primary comes back as a replica of the new one.
      await cluster.restart('redis-1');
      expect((await user.request('/api/cart/items', { json: { item: 'pear' } })).status).to.equal(200);
      expect(await cluster.storePrimary()).to.equal('redis-2');
    }));

  it('redis-replica-reads: nodes read the replica, so a lagging replication link shows an older session', () =>
    withCluster('redis-replica-reads', async (cluster) => {
      const user = await sessionOn(cluster);
      await waitFor('the replica to have the session', async () => {
        const read = await user.on(cluster.url('app-2')).request('/api/cart');
        return read.status === 200;
      });
      const links = new LinkControl(cluster.toxiproxyUrl);
      await links.addLatency(['redis-2->redis-1'], 'lag', 1500, 0, 'downstream');
      expect((await user.request('/api/cart/items', { json: { item: 'pear' } })).status).to.equal(200);
      const stale = await user.on(cluster.url('app-2')).request('/api/cart');
      expect(stale.json, 'read from the replica before the write reached it').to.deep.include({
        items: ['apple'],
      });
      await waitFor('the write to reach the replica', async () => {
        const read = await user.on(cluster.url('app-2')).request('/api/cart');
        return JSON.stringify((read.json as { items?: string[] }).items) === '["apple","pear"]';
      });
    }));

  for (const [strategy, kept] of [
    ['redis', 'one of them: the later whole-session save drops the other'],
    ['redis-atomic', 'both: each is appended in Redis'],
  ] as const)
    it(`${strategy}: two adds of one session in flight at once, on two nodes, keep ${kept}`, () =>
      withCluster(strategy, async (cluster) => {
        const user = await sessionOn(cluster);
        // Answers from Redis slowed: both requests read the session before either saves.
        const links = new LinkControl(cluster.toxiproxyUrl);
        await links.addLatency(['app-1->redis', 'app-2->redis'], 'slow', 300, 0, 'downstream');
        const adds = await Promise.all([
          user.request('/api/cart/items', { json: { item: 'pear' } }),
          user.on(cluster.url('app-2')).request('/api/cart/items', { json: { item: 'plum' } }),
        ]);
        expect(adds.map((a) => a.status)).to.deep.equal([200, 200]);
        const { items } = (await user.request('/api/cart')).json as { items: string[] };
        if (strategy === 'redis-atomic') expect([...items].sort()).to.deep.equal(['apple', 'pear', 'plum']);
        else expect(items).to.have.length(2).and.to.include('apple');
      }));
});
