/** Strategies as data turned into a cluster topology: nodes, links and replication, HAProxy config, spare
 * nodes, app command templates, and the links and nodes each fault target hits. */
import { expect } from 'chai';
import { haproxyConfig } from '../../infra/haproxy/config.ts';
import { LastNodes } from '../../src/history/pinning.ts';
import { expandTemplate } from '../../src/runtime/kinds/app.ts';
import {
  STRATEGY_NAMES,
  STRATEGY_TABLE,
  type Strategy,
  strategyNamed,
} from '../../src/strategies/strategies.ts';
import { chooseLinks, chooseNode, type TargetContext } from '../../src/topology/targets.ts';
import {
  type AppNodeService,
  buildTopology,
  type HaproxyService,
  idsWithRole,
  type SentinelService,
  servicesWithRole,
  type Topology,
} from '../../src/topology/topology.ts';
import { topologyOf } from '../helpers/cluster.ts';
import { login, read } from '../helpers/ops.ts';

describe('strategies as data → topology', () => {
  it('derives each strategy from its row: load balancing, app kind, where sessions live', () => {
    const none = topologyOf('none', 3);
    const sticky = topologyOf('sticky', 2);
    const redis = topologyOf('redis', 3);
    const lb = (t: Topology) => t.services.find((s): s is HaproxyService => s.kind === 'haproxy');
    expect(lb(none)?.balance).to.equal('roundrobin');
    expect(idsWithRole(none, 'store')).to.deep.equal([]);
    expect(lb(sticky)?.balance).to.equal('sticky');
    expect(idsWithRole(sticky, 'app')).to.deep.equal(['app-1', 'app-2']);
    const apps = servicesWithRole(redis, 'app') as AppNodeService[];
    expect(apps.map((a) => [a.kind, a.store])).to.deep.equal(
      Array(3).fill(['app-node', { id: 'redis', kind: 'redis' }]),
    );
    expect(servicesWithRole(redis, 'store')).to.deep.equal([
      { id: 'redis', kind: 'redis', role: 'store', persistence: 'none' },
    ]);
    expect(redis.links.map((l) => [l.id, l.endpoint])).to.deep.equal([
      ['lb->app-1', 'http'],
      ['lb->app-2', 'http'],
      ['lb->app-3', 'http'],
      ['app-1->redis', 'store'],
      ['app-2->redis', 'store'],
      ['app-3->redis', 'store'],
    ]);
    expect(sticky.links.map((l) => l.kind)).to.deep.equal(['lb', 'lb']);
  });

  it('says which way each replication link carries changes, and where replica-reading nodes read', () => {
    const flows = (t: Topology) =>
      t.links.filter((l) => l.kind === 'replication').map((l) => [l.id, l.flows]);
    expect(flows(topologyOf('all-to-all', 2))).to.deep.equal([
      ['app-1->app-2', 'upstream'],
      ['app-2->app-1', 'upstream'],
    ]);
    // The replica follows its primary through a link; after a failover the other one does.
    expect(flows(topologyOf('redis-replica-reads', 2))).to.deep.equal([
      ['redis-2->redis-1', 'downstream'],
      ['redis-1->redis-2', 'downstream'],
    ]);
    const reads = (name: string) =>
      servicesWithRole(topologyOf(name, 2), 'sentinel').map((s) => (s as SentinelService).reads);
    expect(reads('redis-replica-reads')).to.deep.equal(['replica', 'replica', 'replica']);
    expect(reads('redis-replicated')).to.deep.equal(['primary', 'primary', 'primary']);
  });

  it("starts the user's own app from its command template when one is given", () => {
    const topology = topologyOf('redis', 2, { command: 'node my-app.js --port {port}' });
    expect(servicesWithRole(topology, 'app').map((s) => s.kind)).to.deep.equal([
      'app-command',
      'app-command',
    ]);
  });

  it('lists every strategy once, each with a description', () => {
    expect(new Set(STRATEGY_NAMES).size).to.equal(STRATEGY_TABLE.length);
    for (const row of STRATEGY_TABLE) expect(row.description.length, row.name).to.be.above(20);
  });

  it('renders HAProxy stickiness only for sticky', () => {
    const setup = (sticky: boolean) => ({
      id: 'lb',
      sticky,
      listen: '127.0.0.1:1',
      stats: '127.0.0.1:2',
      admin: '/run/sc/1/lb-admin.sock',
      backends: [
        { id: 'app-1', address: '127.0.0.1:3' },
        { id: 'app-2', address: '127.0.0.1:4' },
        { id: 'app-3', address: '127.0.0.1:6', spare: true },
      ],
    });
    const sticky = haproxyConfig(setup(true));
    expect(sticky).to.contain('cookie SERVERID insert indirect nocache');
    expect(sticky).to.contain('server app-2 127.0.0.1:4 check inter 500 fall 2 rise 2 cookie app-2');
    expect(haproxyConfig(setup(false))).not.to.contain('cookie');
    expect(sticky, 'a spare starts out of the rotation').to.contain(
      'server app-3 127.0.0.1:6 check inter 500 fall 2 rise 2 cookie app-3 disabled',
    );
    expect(sticky, 'the admin interface is a unix socket only its owner may use').to.contain(
      'stats socket /run/sc/1/lb-admin.sock mode 600 level admin',
    );
  });

  it('declares spare nodes for scale-out: linked and in the load balancer, not started', () => {
    const t = buildTopology(strategyNamed('redis') as Strategy, { appNodes: 2, spareNodes: 1 });
    expect(t.spares).to.deep.equal(['app-3']);
    expect(idsWithRole(t, 'app')).to.deep.equal(['app-1', 'app-2', 'app-3']);
    expect(t.links.map((l) => l.id)).to.include.members(['lb->app-3', 'app-3->redis']);
    const lb = t.services.find((s): s is HaproxyService => s.kind === 'haproxy');
    expect([lb?.backends, lb?.spares]).to.deep.equal([['app-1', 'app-2', 'app-3'], ['app-3']]);
  });
});

describe('app command templates', () => {
  const settings = {
    nodeId: 'app-1',
    host: '127.0.0.1',
    port: '21000',
    storeKind: 'redis',
    storeUrl: "redis://127.0.0.1:21001/it's",
    dataDir: '/tmp/a b',
  };

  it('fills in each placeholder as one shell word', () => {
    expect(
      expandTemplate('app --id {nodeId} --port {port} --store {storeUrl} --dir {dataDir}', settings),
    ).to.equal("app --id 'app-1' --port '21000' --store 'redis://127.0.0.1:21001/it'\\''s' --dir '/tmp/a b'");
  });

  it('refuses a placeholder it does not know', () => {
    expect(() => expandTemplate('app {prot}', settings)).to.throw('app command: {prot} is not a placeholder');
  });
});

describe('fault targets', () => {
  const lastNodes = new LastNodes();
  for (const o of [
    login(0, { user: 'u1', node: 'app-2' }),
    login(0, { user: 'u2', node: 'app-1' }),
    read(10, [], { user: 'u2', node: 'app-2' }),
    login(0, { user: 'u3', node: 'app-3' }),
  ])
    lastNodes.add(o);
  const ctx = (
    strategy: 'sticky' | 'redis' | 'redis-replicated' | 'all-to-all',
    running = ['app-1', 'app-2', 'app-3'],
    storePrimary: string | null = null,
  ): TargetContext => ({
    topology: topologyOf(strategy, 3),
    running,
    usersPerNode: lastNodes.usersPerNode(running),
    storePrimary,
    random: () => 0.99,
  });
  const fault = (kind: 'partition' | 'store-down' | 'replication-latency', target: string) => ({
    kind,
    target,
    atS: 1,
    durationS: 1,
  });

  it('app:busiest picks the node most users were last served by', () => {
    expect(chooseNode('app:busiest', ctx('sticky'))).to.equal('app-2');
  });

  it('app:any picks among running nodes, app:<id> names one', () => {
    expect(chooseNode('app:any', ctx('sticky', ['app-1', 'app-3']))).to.equal('app-3');
    expect(chooseNode('app:app-1', ctx('sticky'))).to.equal('app-1');
    expect(() => chooseNode('app:app-9', ctx('sticky', ['app-1']))).to.throw(
      'app:app-9: app-9 is not a running node; running: app-1',
    );
  });

  it('store faults hit every app → store link; with no store to hit the fault cannot act, and says why', () => {
    expect(chooseLinks(fault('store-down', 'store:any'), ctx('redis'))).to.deep.equal({
      target: 'redis',
      links: ['app-1->redis', 'app-2->redis', 'app-3->redis'],
    });
    expect(() => chooseLinks(fault('store-down', 'store:any'), ctx('sticky'))).to.throw(
      'nothing to hit: sticky has no session store',
    );
  });

  it('a partition isolates a node (every link to or from it) or cuts one link', () => {
    expect(chooseLinks(fault('partition', 'app:app-2'), ctx('redis')).links).to.deep.equal([
      'lb->app-2',
      'app-2->redis',
    ]);
    expect(chooseLinks(fault('partition', 'link:app-1->redis'), ctx('redis')).links).to.deep.equal([
      'app-1->redis',
    ]);
    expect(() => chooseLinks(fault('partition', 'link:app-9->redis'), ctx('redis'))).to.throw(
      /no such link; the links are: lb->app-1/,
    );
  });

  it('with Sentinel, store faults hit the links apps reach the servers and Sentinels by', () => {
    const links = (target: string, primary: string | null = 'redis-1') =>
      chooseLinks(fault('store-down', target), ctx('redis-replicated', undefined, primary));
    const all = links('store:any');
    expect(all.target).to.equal('store');
    expect(all.links.filter((l) => l.startsWith('app-1->'))).to.deep.equal([
      'app-1->redis-1',
      'app-1->redis-2',
      'app-1->sentinel-1',
      'app-1->sentinel-2',
      'app-1->sentinel-3',
    ]);
    expect(links('store:primary', 'redis-2')).to.deep.equal({
      target: 'redis-2',
      links: ['app-1->redis-2', 'app-2->redis-2', 'app-3->redis-2'],
    });
    expect(() => links('store:primary', null)).to.throw('store:primary: no Sentinel named a primary');
    expect(() => links('store:redis-9')).to.throw('nothing to hit: no app reaches a store redis-9');
  });

  it('replication latency hits the links replication uses now, and cannot act where there is none', () => {
    const replication = (strategy: 'redis-replicated' | 'all-to-all', primary: string | null) =>
      chooseLinks(fault('replication-latency', 'replication:all'), ctx(strategy, undefined, primary)).links;
    expect(replication('redis-replicated', 'redis-1')).to.deep.equal(['redis-2->redis-1']);
    expect(replication('redis-replicated', 'redis-2'), 'after a failover').to.deep.equal([
      'redis-1->redis-2',
    ]);
    expect(replication('all-to-all', null)).to.have.length(6);
    expect(() => chooseLinks(fault('replication-latency', 'replication:all'), ctx('redis'))).to.throw(
      'nothing to hit: redis has no replication links in use',
    );
  });
});
