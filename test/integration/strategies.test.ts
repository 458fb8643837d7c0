import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { StrategyName } from '../../src/experiment/definition.ts';
import { LocalRuntime } from '../../src/runtime/local/local-runtime.ts';
import type { Cluster } from '../../src/runtime/runtime.ts';
import { buildTopology } from '../../src/topology/topology.ts';
import { TestUser } from '../helpers/http-user.ts';

async function withCluster(strategy: StrategyName, test: (cluster: Cluster) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `sc-${strategy}-`));
  const cluster = await new LocalRuntime().start(buildTopology(strategy, 3), { dir });
  try {
    await test(cluster);
  } finally {
    await cluster.stop();
  }
}

describe('strategies on the local runtime (real HAProxy, app nodes, Redis)', function () {
  this.timeout(60_000);

  it('redis: a session made through one node is read through every other node', () =>
    withCluster('redis', async (cluster) => {
      const user = new TestUser();
      const login = await user.login(cluster.lbUrl);
      expect(login.status).to.equal(200);
      await user.call(`${cluster.lbUrl}/api/cart/items`, 'POST', { item: 'apple' });
      for (const node of ['app-1', 'app-2', 'app-3']) {
        const read = await user.call(`${cluster.url(node)}/api/cart`);
        expect(read.status, `read on ${node}`).to.equal(200);
        expect(read.json).to.deep.include({ user: 'alice', items: ['apple'], version: 1, node });
      }
    }));

  it('sticky: every request of a user stays on one node', () =>
    withCluster('sticky', async (cluster) => {
      const user = new TestUser();
      const login = await user.login(cluster.lbUrl);
      expect(user.jar.get('SERVERID')).to.equal(login.node);
      const nodes = new Set<string | null>();
      for (let i = 0; i < 12; i += 1) {
        const read = await user.call(`${cluster.lbUrl}/api/cart`);
        expect(read.status).to.equal(200);
        nodes.add(read.node);
      }
      expect([...nodes]).to.deep.equal([login.node]);
    }));

  it('none: requests spread over the nodes, which do not know each other’s sessions', () =>
    withCluster('none', async (cluster) => {
      const user = new TestUser();
      const login = await user.login(cluster.lbUrl);
      const reads = [];
      for (let i = 0; i < 6; i += 1) reads.push(await user.call(`${cluster.lbUrl}/api/cart`));
      expect(new Set(reads.map((r) => r.node)).size).to.equal(3);
      for (const read of reads)
        expect(read.status, `read on ${read.node}`).to.equal(read.node === login.node ? 200 : 401);
    }));

  it('kill and restart: a killed node refuses, a restarted one serves on the same address', () =>
    withCluster('redis', async (cluster) => {
      const url = `${cluster.url('app-2')}/healthz`;
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
