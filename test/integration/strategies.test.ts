/** The basic strategies on a real local cluster: redis shares sessions, sticky pins users, none spreads them
 * unshared; and a node killed, paused or restarted behaves as the faults expect. */
import { expect } from 'chai';
import { AppClient } from '../../src/workload/http/app-client.ts';
import { withCluster } from '../helpers/cluster.ts';

const ALICE = { json: { username: 'alice', password: 'pw' } };

describe('strategies on the local runtime (real HAProxy, app nodes, Redis)', function () {
  this.timeout(60_000);

  it('redis: a session made through one node is read through every other node', () =>
    withCluster('redis', async (cluster) => {
      const user = new AppClient(cluster.lbUrl);
      expect((await user.request('/login', ALICE)).status).to.equal(200);
      await user.request('/api/cart/items', { json: { item: 'apple' } });
      for (const node of ['app-1', 'app-2', 'app-3']) {
        const read = await user.on(cluster.url(node)).request('/api/cart');
        expect(read.status, `read on ${node}`).to.equal(200);
        expect(read.json).to.deep.include({ user: 'alice', items: ['apple'], version: 1, node });
      }
    }));

  it('sticky: every request of a user stays on one node', () =>
    withCluster('sticky', async (cluster) => {
      const user = new AppClient(cluster.lbUrl);
      const login = await user.request('/login', ALICE);
      expect(user.jar.get('SERVERID')).to.equal(login.node);
      const nodes = new Set<string | null>();
      for (let i = 0; i < 12; i += 1) {
        const read = await user.request('/api/cart');
        expect(read.status).to.equal(200);
        nodes.add(read.node);
      }
      expect([...nodes]).to.deep.equal([login.node]);
    }));

  it('none: requests spread over the nodes, which do not know each other’s sessions', () =>
    withCluster('none', async (cluster) => {
      const user = new AppClient(cluster.lbUrl);
      const login = await user.request('/login', ALICE);
      const reads = [];
      for (let i = 0; i < 6; i += 1) reads.push(await user.request('/api/cart'));
      expect(new Set(reads.map((r) => r.node)).size).to.equal(3);
      for (const read of reads)
        expect(read.status, `read on ${read.node}`).to.equal(read.node === login.node ? 200 : 401);
    }));

  it('kill, pause and restart: a killed node refuses, a paused one hangs, a restarted one serves on the same address', () =>
    withCluster('redis', async (cluster) => {
      const url = `${cluster.url('app-2')}/healthz`;
      await cluster.pause('app-2');
      const hung = await fetch(url, { signal: AbortSignal.timeout(300) }).then(
        () => 'answered',
        (error: Error) => error.name,
      );
      expect(hung).to.equal('TimeoutError');
      await cluster.resume('app-2');
      expect((await fetch(url)).status).to.equal(200);
      await cluster.kill('app-2');
      expect(cluster.isRunning('app-2')).to.equal(false);
      const refused = await fetch(url).then(
        () => 'answered',
        (error: Error & { cause?: { code?: string } }) => error.cause?.code,
      );
      expect(refused).to.equal('ECONNREFUSED');
      await cluster.restart('app-2');
      expect((await fetch(url)).status).to.equal(200);
    }));
});
