/** The Tomcat replication experiments end to end: async replication serves stale carts, sync makes writes
 * wait, all-to-all traffic grows with the cluster size; with --netns, BackupManager's replication too. */
import { join } from 'node:path';
import { expect } from 'chai';
import { readHistory } from '../../src/history/reader.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { runExperiments } from '../helpers/chaos-run.ts';

/**
 * The replication experiments, quick profile, on real Tomcat clusters (about 6 minutes), with --netns as
 * root, so BackupManager's replication, which no proxy sits in, is slowed and counted by the kernel.
 */
const netns = process.getuid?.() === 0;

describe('end to end: replication-lag and cluster-size, quick profile', function () {
  this.timeout(900_000);
  let code: number | null = null;
  let runDir = '';
  let summary: RunSummary;

  before(async () => {
    ({ code, runDir, summary } = await runExperiments(
      ['replication-lag', 'cluster-size'],
      13,
      netns ? ['--netns'] : [],
    ));
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

  it("with --netns, BackupManager's replication is slowed by the kernel: async reads stale, sync writes wait; its traffic is counted", function () {
    if (!netns) this.skip();
    const async = result('replication-lag', 'primary-secondary:async');
    expect(async.staleReads).to.be.at.least(1);
    const sync = result('replication-lag', 'primary-secondary:sync');
    expect([sync.staleReads, sync.lostWrites]).to.deep.equal([0, 0]);
    expect(sync.faultFigures?.p50RiseMs, 'writes wait for the slowed backup').to.be.at.least(150);
    for (const r of [async, sync]) {
      const [fault] = r.faults;
      expect(fault?.detail, r.strategy).to.contain("by the kernel's packet filter");
      expect(fault?.effect?.evidence, r.strategy).to.match(
        /packet filter delayed .*infra\/packet-delay: queued [1-9]/,
      );
    }
    for (const nodes of [2, 4])
      expect(
        result('cluster-size', 'primary-secondary:sync', nodes).cost?.links.replication?.perWrite,
      ).to.be.above(100);
  });
});
