import { join } from 'node:path';
import { expect } from 'chai';
import { readHistory } from '../../src/history/reader.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { runExperiments } from '../helpers/chaos-run.ts';

/** The replication experiments, quick profile, on real Tomcat clusters (about 3½ minutes). */
describe('end to end: replication-lag and cluster-size, quick profile', function () {
  this.timeout(600_000);
  let code: number | null = null;
  let runDir = '';
  let summary: RunSummary;

  before(async () => {
    ({ code, runDir, summary } = await runExperiments(['replication-lag', 'cluster-size'], 13));
  });

  const result = (experiment: string, strategy: string, appNodes?: number) => {
    const found = summary.results.find(
      (r) => r.experiment === experiment && r.strategy === strategy && r.appNodes === appNodes,
    );
    if (!found) throw new Error(`no result for ${experiment}/${strategy} ${appNodes ?? ''}`);
    return found;
  };

  it('meets every expectation: exit code 0', () => {
    expect(summary.results.map((r) => r.verdict)).to.deep.equal(summary.results.map(() => 'pass'));
    expect(code).to.equal(0);
  });

  it('replication-lag: async serves stale carts with witnesses and their staleness; sync none, but writes wait', () => {
    const async = result('replication-lag', 'all-to-all:async');
    expect(async.staleReads).to.be.at.least(1);
    expect(async.staleness.p50Ms).to.be.above(0);
    const stale = async.anomalies.find((a) => a.kind === 'stale-read');
    expect(stale?.witness.length, 'the write, the stale view, the view that showed it again').to.equal(3);
    const sync = result('replication-lag', 'all-to-all:sync');
    expect([sync.staleReads, sync.monotonicWrites, sync.lostWrites]).to.deep.equal([0, 0, 0]);
    const [fault] = sync.faults;
    const adds = readHistory(join(runDir, sync.dir, 'history.jsonl')).filter(
      (op) =>
        op.op === 'add' &&
        op.outcome === 'ok' &&
        op.start >= (fault?.at ?? 0) * 1000 &&
        op.start < (fault?.healedAt ?? 0) * 1000,
    );
    const took = adds.map((op) => op.end - op.start).sort((a, b) => a - b);
    expect(
      took[Math.floor(took.length / 2)],
      'p50 of a write while replication is 300 ms slow',
    ).to.be.at.least(300);
  });

  it('cluster-size: all-to-all replication traffic per write grows with the nodes; memory is measured per node', () => {
    const two = result('cluster-size', 'all-to-all:sync', 2).cost?.links.replication?.perWrite ?? 0;
    const four = result('cluster-size', 'all-to-all:sync', 4).cost?.links.replication?.perWrite ?? 0;
    expect(two).to.be.above(100);
    expect(four / two, 'each write goes to 3 peers instead of 1').to.be.above(2);
    const ps = result('cluster-size', 'primary-secondary:sync', 4);
    expect(Object.keys(ps.cost?.memoryMb ?? {})).to.have.length(4);
  });
});
