/** Repeated runs: Student's t intervals, the rule of three for metrics at zero, and verdicts over repeats
 * with flaky cases flagged in the table, the report and JUnit. */
import { expect } from 'chai';
import { repeatInterval, studentQuantile } from '../../src/checkers/intervals.ts';
import { aggregateRepeats } from '../../src/checkers/repeats.ts';
import type { CaseResult } from '../../src/model/case.ts';
import { renderReport } from '../../src/report/html/render.ts';
import { junitXml } from '../../src/report/junit.ts';
import { summaryTable } from '../../src/report/terminal.ts';
import { summaryOf } from '../helpers/summary.ts';

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
  it("Student's t quantiles match the textbook table, beyond 30 degrees of freedom too", () => {
    // Two-sided 95 %: t(0.975, df), as printed in every statistics textbook (4 significant digits).
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [5, 2.571],
      [10, 2.228],
      [30, 2.042],
      [31, 2.04],
      [60, 2.0],
      [120, 1.98],
    ];
    for (const [df, t] of table) expect(studentQuantile(0.975, df), `df ${df}`).to.be.closeTo(t, 0.0006);
  });

  it('t interval over repeats, clamped to the range; none for a single repeat', () => {
    // s = 2, se = 1.1547, t(0.975, 2) = 4.30265: ± 4.9683.
    expect(repeatInterval([10, 12, 14])).to.deep.equal({ mean: 12, low: 7.032, high: 16.968, method: 't' });
    expect(repeatInterval([5])).to.deep.equal({ mean: 5, low: null, high: null, method: 't' });
    // mean 1, s = 1.732, se = 1, t(2) = 4.303: [-3.303, 5.303], and a count cannot be below 0.
    expect(repeatInterval([0, 0, 3])).to.deep.equal({ mean: 1, low: 0, high: 5.303, method: 't' });
    // A share: mean 0.3, s = 0.1, se = 0.0577: ± 0.2484.
    expect(repeatInterval([0.2, 0.3, 0.4], 'share', 4)).to.deep.equal({
      mean: 0.3,
      low: 0.0516,
      high: 0.5484,
      method: 't',
    });
    // mean 0.9667, se 0.0333: [0.8232, 1.1101], and a share is at most 1.
    expect(repeatInterval([0.9, 1, 1], 'share', 4)).to.deep.include({ low: 0.8232, high: 1 });
  });

  it('a metric at 0 in every repeat gets the rule of three, never a zero-width interval', () => {
    expect(repeatInterval([0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).to.deep.equal({
      mean: 0,
      low: 0,
      high: 0.3,
      method: 'rule-of-three',
    });
    expect(repeatInterval([0, 0, 0], 'share')).to.deep.include({ low: 0, high: 1 });
    expect(repeatInterval([1, 1, 1, 1, 1, 1], 'share')).to.deep.equal({
      mean: 1,
      low: 0.5,
      high: 1,
      method: 'rule-of-three',
    });
  });

  it('shares come from the spread between repeats, not from pooled users', () => {
    // 2 000 ops per repeat; errors 0 %, 10 %, 20 % of them: pooled as 6 000 trials the interval would be
    // ±0.8 %, yet the repeats disagree by 10 points.
    const group = [0, 200, 400].map((errors, i) => result(i, { ops: 2000, errors }));
    const share = aggregateRepeats(group)[0]?.metrics.errorShare;
    expect(share).to.deep.equal({ mean: 0.1, low: 0, high: 0.3484, method: 't' });
    const logouts = aggregateRepeats([0, 12, 12].map((n, i) => result(i, { loggedOutUsers: n })))[0];
    expect(logouts?.metrics.loggedOutShare?.low).to.equal(0);
    expect(logouts?.metrics.loggedOutUsers?.low).to.equal(0);
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
    const summary = summaryOf(results);
    expect(summaryTable(summary)).to.match(/node-crash\s+sticky\s+FAIL FLAKY\s+2\s+33\.3 \[/);
    const html = renderReport({ ...summary, results: [] }, { chartJs: '' });
    expect(html).to.not.include('Over all repeats'); // no cases of that experiment shown
    expect(renderReport(summary, { chartJs: '' })).to.include('FLAKY');
  });

  it('JUnit has one more testcase per repeated strategy: a failure of type flaky when repeats disagree', () => {
    const flaky = junitXml(summaryOf([result(0, {}), result(1, { verdict: 'fail' })]));
    expect(flaky).to.include(
      '<testcase classname="node-crash" name="sticky: over 2 repeats (FLAKY)" time="0"><failure type="flaky" message="FLAKY: repeats ended pass, fail">',
    );
    expect(flaky).to.match(/tests="3" failures="1"/);
    const steady = junitXml(summaryOf([result(0, {}), result(1, {})]));
    expect(steady).to.include('name="sticky: over 2 repeats" time="0"></testcase>');
    expect(junitXml(summaryOf([result(0, {})]))).to.not.include('repeats');
  });
});
