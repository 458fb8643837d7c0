/** The store experiments end to end: what store-crash, failover, replica-lag and store-eviction do to
 * sessions on in-memory, AOF, MariaDB, Sentinel and Memcached stores. */
import { expect } from 'chai';
import type { RunSummary } from '../../src/model/run.ts';
import { runExperiments } from '../helpers/chaos-run.ts';

/** The store experiments, quick profile, on real Redis, Memcached, MariaDB and Sentinel (about 6 minutes). */
describe('end to end: store-crash, failover, replica-lag and store-eviction, quick profile', function () {
  this.timeout(600_000);
  let code: number | null = null;
  let summary: RunSummary;

  before(async () => {
    const experiments = ['store-crash', 'failover', 'replica-lag', 'store-eviction'];
    ({ code, summary } = await runExperiments(experiments, 17));
  });

  const result = (experiment: string, strategy: string) => {
    const found = summary.results.find((r) => r.experiment === experiment && r.strategy === strategy);
    if (!found) throw new Error(`no result for ${experiment}/${strategy}`);
    return found;
  };

  it('meets every expectation: exit code 0', () => {
    expect(summary.results.map((r) => `${r.experiment}/${r.strategy}: ${r.verdict}`)).to.deep.equal([
      'store-crash/redis: pass',
      'store-crash/redis-aof: pass',
      'store-crash/memcached: pass',
      'store-crash/mysql: pass',
      'failover/redis-replicated: pass',
      'replica-lag/redis-replica-reads: pass',
      'replica-lag/redis-replicated: pass',
      'store-eviction/memcached: pass',
    ]);
    expect(code).to.equal(0);
  });

  it('store-crash: in-memory stores log every user out once; AOF and MariaDB keep every session', () => {
    for (const strategy of ['redis', 'memcached']) {
      const r = result('store-crash', strategy);
      expect([r.logouts, r.loggedOutUsers], strategy).to.deep.equal([r.users, r.users]);
    }
    for (const strategy of ['redis-aof', 'mysql'])
      expect(result('store-crash', strategy).logouts, strategy).to.equal(0);
    expect(result('store-crash', 'mysql').lostWrites).to.equal(0);
  });

  it('failover: Sentinel promotes the replica, users see failures for a few seconds, and the old primary rejoins', () => {
    const r = result('failover', 'redis-replicated');
    const [fault] = r.faults;
    expect(fault).to.include({ kind: 'failover', target: 'redis-1', status: 'healed' });
    expect(fault?.failingForS).to.be.within(0.5, 10);
    expect(r.errors).to.be.above(0);
  });

  it('replica-lag: reads from a lagging replica are stale; reads from the primary are not', () => {
    const replica = result('replica-lag', 'redis-replica-reads');
    expect(replica.faults[0]).to.include({ kind: 'replication-latency', status: 'healed' });
    expect(replica.staleReads).to.be.above(0);
    const primary = result('replica-lag', 'redis-replicated');
    expect([primary.staleReads, primary.lostWrites, primary.logouts]).to.deep.equal([0, 0, 0]);
  });

  it('store-eviction: a full Memcached throws sessions away silently: logouts, not one error', () => {
    const r = result('store-eviction', 'memcached');
    expect(r.loggedOutUsers).to.be.above(r.users / 2);
    expect(r.errors).to.equal(0);
  });
});
