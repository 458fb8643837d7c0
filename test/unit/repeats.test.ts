import { expect } from 'chai';
import { aggregateRepeats, tInterval, wilsonInterval } from '../../src/checkers/repeats.ts';
import type { CaseResult } from '../../src/model/case.ts';
import { renderReport } from '../../src/report/html/render.ts';
import { summaryTable } from '../../src/report/terminal.ts';

const result = (repeat: number, fields: Partial<CaseResult>): CaseResult =>
  ({
    experiment: 'node-crash',
    strategy: 'sticky',
    repeat,
    verdict: 'pass',
    ops: 1000,
    users: 36,
    logouts: 12,
    loggedOutUsers: 12,
    staleReads: 0,
    staleWrites: 0,
    monotonicWrites: 0,
    writesFollowReads: 0,
    lostWrites: 0,
    undecidedUsers: 0,
    partialSessions: 0,
    errors: 20,
    exposure: { logout: 12 / 36 },
    imbalance: 1.2,
    latency: { count: 1000, p50: 20, p90: 40, p99: 90, max: 200 },
    expectations: [{ name: 'logouts ≥ 1', ok: true, detail: '' }],
    staleness: { count: 0, p50Ms: 0, maxMs: 0 },
    requestsByNode: { 'app-1': 1000 },
    latencyByPhase: {
      before: { count: 0, p50: 0, p90: 0, p99: 0, max: 0 },
      during: { count: 0, p50: 0, p90: 0, p99: 0, max: 0 },
      after: { count: 0, p50: 0, p90: 0, p99: 0, max: 0 },
    },
    faults: [],
    anomalies: [],
    timeline: { bucketS: 1, nodes: {}, logouts: [], errors: [] },
    durationS: 30,
    dir: `node-crash/sticky-r${repeat}`,
    checkerErrors: [],
    ...fields,
  }) as CaseResult;

describe('repeats', () => {
  it('Student t interval over repeats, none for a single repeat', () => {
    expect(tInterval([10, 12, 14])).to.deep.equal({ mean: 12, low: 7.031, high: 16.969, method: 't' });
    expect(tInterval([5])).to.deep.equal({ mean: 5, low: null, high: null, method: 't' });
  });

  it('Wilson score interval for a pooled share', () => {
    // 36 of 108 users: p = 1/3, Wilson 95 % = [0.2515, 0.4266]
    expect(wilsonInterval(36, 108, 3)).to.deep.equal({
      mean: 0.3333,
      low: 0.2515,
      high: 0.4266,
      method: 'wilson',
    });
    expect(wilsonInterval(0, 108, 3).low).to.equal(0);
  });

  it('gives a verdict over all repeats and flags a case whose repeats disagree as flaky', () => {
    const steady = aggregateRepeats([result(0, {}), result(1, { logouts: 10 }), result(2, { logouts: 14 })]);
    expect(steady.map((a) => [a.verdict, a.flaky, a.repeats])).to.deep.equal([['pass', false, 3]]);
    expect(steady[0]?.metrics.logouts).to.deep.include({ mean: 12, method: 't' });
    const flaky = aggregateRepeats([
      result(0, {}),
      result(1, { verdict: 'fail', expectations: [{ name: 'logouts ≥ 1', ok: false, detail: '' }] }),
    ]);
    expect(flaky.map((a) => [a.verdict, a.flaky, a.verdicts])).to.deep.equal([
      ['fail', true, ['pass', 'fail']],
    ]);
    expect(flaky[0]?.expectations).to.deep.equal([{ name: 'logouts ≥ 1', passed: 1, failed: 1, unknown: 0 }]);
  });

  it('shows the intervals and the flaky flag in the terminal table and the report', () => {
    const results = [result(0, {}), result(1, { verdict: 'fail', logouts: 14 })];
    const summary = {
      schema: 1 as const,
      runtime: 'local',
      startedAt: '',
      finishedAt: '',
      results,
      aggregates: aggregateRepeats(results),
    };
    expect(summaryTable(summary)).to.match(/node-crash\s+sticky\s+FAIL FLAKY\s+2\s+33\.3 \[/);
    const html = renderReport({ ...summary, results: [] }, { chartJs: '' });
    expect(html).to.not.include('Over all repeats'); // no cases of that experiment shown
    expect(renderReport(summary, { chartJs: '' })).to.include('FLAKY');
  });
});
