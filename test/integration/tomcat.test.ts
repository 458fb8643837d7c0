/** The Tomcat 10.1 strategies on a real local cluster: sticky-tomcat keeps sessions on their node, all-to-all
 * and primary-secondary replicate them, and a cut replication link stops replication until healed. */
import { expect } from 'chai';
import { LinkControl } from '../../src/runtime/link-control.ts';
import type { Cluster } from '../../src/runtime/runtime.ts';
import { checkApp } from '../../src/workload/check-app.ts';
import { AppClient, type Reply } from '../../src/workload/http/app-client.ts';
import { withCluster } from '../helpers/cluster.ts';
import { waitFor } from '../helpers/wait.ts';

const NODES = ['app-1', 'app-2', 'app-3'];
const ALICE = { json: { username: 'alice', password: 'pw' } };

/** A user who logs in on app-1 directly and adds an item there. */
async function sessionOn(cluster: Cluster, item = 'apple'): Promise<AppClient> {
  const user = new AppClient(cluster.url('app-1'));
  expect((await user.request('/login', ALICE)).status).to.equal(200);
  expect((await user.request('/api/cart/items', { json: { item } })).status).to.equal(200);
  return user;
}

const readOn = (cluster: Cluster, user: AppClient, node: string): Promise<Reply> =>
  user.on(cluster.url(node)).request('/api/cart');

/** Until `node` shows the user's cart with exactly these items (replication may take a moment). */
const until = (cluster: Cluster, user: AppClient, node: string, items: string[], ms = 20_000) =>
  waitFor(
    `${node} to show ${items.join(', ')}`,
    async () => {
      const read = await readOn(cluster, user, node);
      return (
        read.status === 200 &&
        JSON.stringify((read.json as { items: string[] }).items) === JSON.stringify(items)
      );
    },
    ms,
  );

describe('Tomcat 10.1 strategies on the local runtime (real Tomcat, HAProxy, Toxiproxy)', function () {
  this.timeout(180_000);

  it('sticky-tomcat: the app speaks the contract; a session lives on its node only and dies with it', () =>
    withCluster('sticky-tomcat', async (cluster) => {
      const report = await checkApp(cluster.url('app-2'));
      expect(report.deviations).to.deep.equal([]);
      const user = await sessionOn(cluster);
      expect((await readOn(cluster, user, 'app-1')).status).to.equal(200);
      for (const node of ['app-2', 'app-3'])
        expect((await readOn(cluster, user, node)).status, node).to.equal(401);
      await cluster.kill('app-1');
      await cluster.restart('app-1');
      expect((await readOn(cluster, user, 'app-1')).json).to.deep.equal({ error: 'no-session' });
    }));

  it('all-to-all: a session made on one node is read on every other; it survives its node, which rejoins and receives it', () =>
    withCluster('all-to-all:sync', async (cluster) => {
      const user = await sessionOn(cluster);
      for (const node of NODES) await until(cluster, user, node, ['apple']);
      await cluster.kill('app-1');
      for (const node of ['app-2', 'app-3']) await until(cluster, user, node, ['apple']);
      // Written while app-1 was down: the restarted node must receive it by state transfer.
      expect(
        (await user.on(cluster.url('app-2')).request('/api/cart/items', { json: { item: 'pear' } })).status,
      ).to.equal(200);
      await cluster.restart('app-1');
      expect((await readOn(cluster, user, 'app-1')).json).to.deep.include({ items: ['apple', 'pear'] });
    }));

  // Synchronous: asynchronous Tribes sends go out through a thread pool, so a session's creation and its first
  // change can arrive reversed and the replica stays without it for good (the partial sessions the experiments
  // count). That is async's behaviour, not the link's: it failed this test's baseline 3 times in CI.
  it('all-to-all: cutting a replication link stops replication over it; healing it resumes', () =>
    withCluster('all-to-all:sync', async (cluster) => {
      const links = new LinkControl(cluster.toxiproxyUrl);
      const user = await sessionOn(cluster);
      for (const node of NODES) await until(cluster, user, node, ['apple']);
      await links.setEnabled(['app-1->app-2'], false);
      try {
        expect((await user.request('/api/cart/items', { json: { item: 'cut' } })).status).to.equal(200);
        await until(cluster, user, 'app-3', ['apple', 'cut']);
        await new Promise((r) => setTimeout(r, 1000));
        expect((await readOn(cluster, user, 'app-2')).json, 'app-2 did not get it').to.deep.include({
          items: ['apple'],
        });
      } finally {
        await links.setEnabled(['app-1->app-2'], true);
      }
      // Replication resumes: app-1's next change reaches app-2 again (and carries the whole cart).
      await waitFor('app-1 to see app-2 again', async () => {
        const health = (await new AppClient(cluster.url('app-1')).request('/healthz')).json as {
          members: number;
        };
        return health.members === 2;
      });
      expect((await user.request('/api/cart/items', { json: { item: 'healed' } })).status).to.equal(200);
      await until(cluster, user, 'app-2', ['apple', 'cut', 'healed']);
    }));

  it('primary-secondary: a session is read on every node and survives the node that made it; a paused node hangs', () =>
    withCluster('primary-secondary:sync', async (cluster) => {
      const user = await sessionOn(cluster);
      for (const node of NODES) await until(cluster, user, node, ['apple']);
      await cluster.pause('app-3');
      const hung = await fetch(`${cluster.url('app-3')}/healthz`, { signal: AbortSignal.timeout(500) }).then(
        () => 'answered',
        (e: Error) => e.name,
      );
      expect(hung).to.equal('TimeoutError');
      await cluster.resume('app-3');
      await cluster.kill('app-1');
      for (const node of ['app-2', 'app-3']) await until(cluster, user, node, ['apple'], 20_000);
    }));
});
