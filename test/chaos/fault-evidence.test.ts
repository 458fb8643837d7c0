/** Every fault kind must show its effect in the histories: store faults on every store strategy, node faults,
 * failover then replication lag, restart-store and scale-out, each case passing only on seen effects. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { CaseResult } from '../../src/model/case.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { runExperiments } from '../helpers/chaos-run.ts';
import { scratchDir } from '../helpers/scratch.ts';

const STORES = ['redis', 'redis-aof', 'redis-replicated', 'redis-replica-reads', 'memcached', 'mysql'];
const SENTINEL = ['redis-replicated', 'redis-replica-reads'];
const SINGLE = STORES.filter((s) => !SENTINEL.includes(s));
const workload = { browserUsers: 0, httpUsers: 8, thinkMs: 100 };
const profiles = (durationS: number) => ({ quick: { durationS }, full: { durationS } });
const each = (strategies: string[], expectation: object) =>
  Object.fromEntries(strategies.map((s) => [s, [expectation]]));

/**
 * Every store fault on every store strategy, each asserting what the apps saw (failed or slowed ops), and
 * faults of every other kind: each case passes only when its fault's effect was seen (about 8 minutes).
 */
const EXPERIMENTS = {
  'ev-store-down': {
    strategies: STORES,
    faults: [{ kind: 'store-down', target: 'store:any', at: 3, duration: 3 }],
    expectations: each(STORES, { metric: 'errors', atLeast: 1 }),
  },
  'ev-store-latency': {
    strategies: STORES,
    faults: [{ kind: 'store-latency', target: 'store:any', at: 3, duration: 4, latencyMs: 200 }],
    expectations: each(STORES, { metric: 'p50RiseMs', atLeast: 160 }),
  },
  'ev-kill-store': {
    strategies: SINGLE,
    faults: [{ kind: 'kill-store', target: 'store:any', at: 3, duration: 2 }],
    expectations: each(SINGLE, { metric: 'errors', atLeast: 1 }),
  },
  // The primary killed, then (once it is back as the new primary's replica) the replication it now
  // follows slowed: the second fault must act on the link replication uses after the failover.
  'ev-failover-then-lag': {
    strategies: SENTINEL,
    faults: [
      { kind: 'failover', target: 'store:primary', at: 2, duration: 5 },
      { kind: 'replication-latency', target: 'replication:all', at: 10, duration: 5, latencyMs: 300 },
    ],
    expectations: {
      'redis-replicated': [{ metric: 'errors', atLeast: 1 }],
      'redis-replica-reads': [
        { metric: 'errors', atLeast: 1 },
        { metric: 'staleReads', atLeast: 1 },
      ],
    },
  },
  'ev-nodes': {
    strategies: ['redis', 'sticky-tomcat'],
    faults: [
      { kind: 'pause-node', target: 'app:app-1', at: 2, duration: 2 },
      { kind: 'partition', target: 'app:app-2', at: 6, duration: 2 },
      { kind: 'scale-in', target: 'app:app-3', at: 10, duration: 4 },
      { kind: 'partition', target: 'link:lb->app-1', at: 15, duration: 1 },
    ],
    // Decided either way on every run: a shared store keeps every session through node faults; sticky Tomcat
    // loses those of the node scaled in. (Errors are not: a request in flight at a cut is not certain.)
    expectations: {
      redis: [{ metric: 'logouts', equals: 0 }],
      'sticky-tomcat': [{ metric: 'logouts', atLeast: 1 }],
    },
  },
  'ev-restart-scale-out': {
    strategies: ['redis'],
    faults: [
      { kind: 'restart-store', target: 'store:any', at: 2, duration: 0 },
      { kind: 'scale-out', target: 'app:new', at: 4, duration: 4 },
    ],
    expectations: { redis: [{ metric: 'addedNodeShare', atLeast: 0.05 }] },
  },
};
const DURATIONS: Record<string, number> = { 'ev-failover-then-lag': 18, 'ev-nodes': 18 };

describe('every fault proves its effect; store faults reach the apps on every store strategy', function () {
  this.timeout(900_000);
  let summary: RunSummary;
  let code: number | null = null;

  before(async () => {
    const dir = scratchDir('evidence');
    const files = Object.entries(EXPERIMENTS).map(([name, e]) => {
      const file = join(dir, `${name}.experiment.json`);
      const durationS = DURATIONS[name] ?? 10;
      writeFileSync(file, JSON.stringify({ name, workload, profiles: profiles(durationS), ...e }));
      return file;
    });
    ({ code, summary } = await runExperiments(files, 23));
  });

  const cases = (experiment: string): CaseResult[] =>
    summary.results.filter((r) => r.experiment === experiment);

  it('every fault of every case acted and its effect was seen, and every case passed', () => {
    const unseen = summary.results.flatMap((r) =>
      r.faults
        .filter((f) => !f.effect?.observed)
        .map((f) => `${r.experiment}/${r.strategy}: ${f.kind} ${f.target}: ${f.effect?.evidence ?? f.error}`),
    );
    expect(unseen).to.deep.equal([]);
    const verdicts = summary.results.map((r) => `${r.experiment}/${r.strategy}: ${r.verdict}`);
    expect(verdicts.filter((v) => !v.endsWith('pass'))).to.deep.equal([]);
    expect(code).to.equal(0);
  });

  it('store-down: the apps failed while the store was cut, on every store strategy', () => {
    for (const r of cases('ev-store-down')) {
      const [fault] = r.faults;
      expect(fault?.firstFailureAfterS, r.strategy).to.be.a('number').and.below(3);
      expect(fault?.effect?.evidence, r.strategy).to.match(
        /the cut closed the connections open on its links/,
      );
    }
    expect(cases('ev-store-down').map((r) => r.strategy)).to.deep.equal(STORES);
  });

  it('store-latency: ops while it acted were slower by about its latency, on every store strategy', () => {
    for (const r of cases('ev-store-latency')) {
      const { before, during } = r.latencyByPhase;
      expect(during.p50 - before.p50, r.strategy).to.be.at.least(160);
      expect(r.faults[0]?.effect?.evidence, r.strategy).to.match(
        /a round trip through app-\d->\S+ took \d+ ms/,
      );
    }
  });

  it('kill-store: the apps failed while the store was down', () => {
    for (const r of cases('ev-kill-store'))
      expect(r.faults[0]?.firstFailureAfterS, r.strategy).to.be.a('number');
  });

  it('after a failover, replication latency acts on the link the new replica follows', () => {
    for (const r of cases('ev-failover-then-lag')) {
      const [failover, lag] = r.faults;
      expect(failover?.effect?.evidence, r.strategy).to.match(
        /^Sentinel promoted redis-2 \(the primary was redis-1\)/,
      );
      expect(lag?.detail, r.strategy).to.contain('links redis-1->redis-2');
      expect(lag?.effect?.evidence, r.strategy).to.match(/a round trip through redis-1->redis-2 took \d+ ms/);
    }
    const replicaReads = cases('ev-failover-then-lag').find((r) => r.strategy === 'redis-replica-reads');
    const lateStale = replicaReads?.anomalies.filter((a) => a.kind === 'stale-read' && a.at >= 10_000);
    expect(lateStale?.length, 'stale reads from the restarted replica while it lagged').to.be.above(0);
  });

  it('node faults: a paused node stopped, a partition cut links in use, a scale-in drained the node out', () => {
    for (const r of cases('ev-nodes')) {
      const evidence = r.faults.map((f) => `${f.kind}: ${f.effect?.evidence}`);
      expect(evidence[0], r.strategy).to.match(/^pause-node: every process of app-1 \(pid \d+\) was stopped/);
      expect(evidence[1], r.strategy).to.match(
        /^partition: the cut closed the connections open on its links \(.*lb->app-2/,
      );
      expect(evidence[2], r.strategy).to.match(
        /^scale-in: app-3 \(pid \d+\) was killed by SIGTERM|exited.*MAINT/,
      );
      expect(evidence[3], r.strategy).to.match(/^partition: the cut closed .*lb->app-1/);
    }
  });

  it('restart-store runs the store again as a new process; scale-out puts a node in the rotation', () => {
    const [r] = cases('ev-restart-scale-out');
    expect(r?.faults[0]?.effect?.evidence).to.match(
      /^redis \(pid \d+\) was killed and runs again as pid \d+$/,
    );
    expect(r?.faults[1]?.effect?.evidence).to.match(
      /^app-4 \(running as pid \d+\) is in HAProxy's rotation: UP$/,
    );
  });
});
