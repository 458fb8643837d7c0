import { expect } from 'chai';
import { haproxyConfig } from '../../infra/haproxy/config.ts';
import { chooseTarget } from '../../src/faults/targets.ts';
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
  const history = [
    login(0, { user: 'u1', node: 'app-2' }),
    login(0, { user: 'u2', node: 'app-1' }),
    read(10, [], { user: 'u2', node: 'app-2' }),
    login(0, { user: 'u3', node: 'app-3' }),
  ];
  const random = () => 0.99;

  it('app:busiest picks the node most users were last served by', () => {
    expect(chooseTarget('app:busiest', ['app-1', 'app-2', 'app-3'], history, 100, random)).to.equal('app-2');
  });

  it('app:any picks among running nodes, app:<id> names one', () => {
    expect(chooseTarget('app:any', ['app-1', 'app-3'], history, 100, random)).to.equal('app-3');
    expect(chooseTarget('app:app-1', ['app-1'], history, 100, random)).to.equal('app-1');
    expect(() => chooseTarget('app:app-9', ['app-1'], history, 100, random)).to.throw(
      'app:app-9: app-9 is not a running node; running: app-1',
    );
  });
});
