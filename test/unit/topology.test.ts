import { expect } from 'chai';
import { haproxyConfig } from '../../infra/haproxy/config.ts';
import { chooseLinks, chooseNode, type TargetContext } from '../../src/faults/targets.ts';
import { buildTopology } from '../../src/topology/topology.ts';
import { login, read } from '../helpers/ops.ts';

describe('topology', () => {
  it('gives each strategy its load balancing and session store', () => {
    const none = buildTopology('none', 3);
    const sticky = buildTopology('sticky', 2);
    const redis = buildTopology('redis', 3);
    expect(none.lb.balance).to.equal('roundrobin');
    expect(none.stores).to.deep.equal([]);
    expect(sticky.lb.balance).to.equal('sticky');
    expect(sticky.apps.map((a) => a.id)).to.deep.equal(['app-1', 'app-2']);
    expect(redis.apps.every((a) => a.store.kind === 'redis')).to.equal(true);
    expect(redis.stores).to.deep.equal([{ id: 'redis', kind: 'redis' }]);
    expect(redis.links.map((l) => l.id)).to.deep.equal([
      'lb->app-1',
      'lb->app-2',
      'lb->app-3',
      'app-1->redis',
      'app-2->redis',
      'app-3->redis',
    ]);
    expect(sticky.links.map((l) => l.kind)).to.deep.equal(['lb', 'lb']);
  });

  it('renders HAProxy stickiness only for sticky', () => {
    const at = {
      listen: '127.0.0.1:1',
      stats: '127.0.0.1:2',
      backends: { 'app-1': '127.0.0.1:3', 'app-2': '127.0.0.1:4' },
    };
    const sticky = haproxyConfig(buildTopology('sticky', 2).lb, at);
    expect(sticky).to.contain('cookie SERVERID insert indirect nocache');
    expect(sticky).to.contain('server app-2 127.0.0.1:4 check inter 500 fall 2 rise 2 cookie app-2');
    expect(haproxyConfig(buildTopology('none', 2).lb, at)).not.to.contain('cookie');
  });
});

describe('fault targets', () => {
  const historySoFar = [
    login(0, { user: 'u1', node: 'app-2' }),
    login(0, { user: 'u2', node: 'app-1' }),
    read(10, [], { user: 'u2', node: 'app-2' }),
    login(0, { user: 'u3', node: 'app-3' }),
  ];
  const ctx = (strategy: 'sticky' | 'redis', running = ['app-1', 'app-2', 'app-3']): TargetContext => ({
    topology: buildTopology(strategy, 3),
    running,
    historySoFar,
    nowMs: 100,
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

  it('store faults hit every app → store link; a strategy without a store says so', () => {
    expect(chooseLinks(fault('store-down', 'store:any'), ctx('redis'))).to.deep.equal({
      target: 'redis',
      links: ['app-1->redis', 'app-2->redis', 'app-3->redis'],
    });
    expect(chooseLinks(fault('store-down', 'store:any'), ctx('sticky'))).to.deep.equal({
      target: 'store:any',
      links: [],
      detail: 'nothing to hit: sticky has no session store',
    });
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

  it('replication latency hits nothing where there is no replication', () => {
    expect(chooseLinks(fault('replication-latency', 'replication:all'), ctx('redis')).detail).to.equal(
      'nothing to hit: redis has no replication links',
    );
  });
});
