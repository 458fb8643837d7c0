/** The CI building blocks: shards of the matrix, strategy selection, comparing a run with its baseline for
 * regressions, trends over earlier runs, and merging shards into one run. */
import { expect } from 'chai';
import { compareRuns, metricChange } from '../../src/checkers/regressions.ts';
import { trendsOf } from '../../src/checkers/trends.ts';
import type { Estimate } from '../../src/model/estimate.ts';
import type { CaseAggregate, MatrixInfo, RunInfo, RunSummary } from '../../src/model/run.ts';
import { comparisonMarkdown, comparisonTable } from '../../src/report/comparison-text.ts';
import { renderReport } from '../../src/report/html/render.ts';
import { mergedInfo, type ShardFolder } from '../../src/run/merge.ts';
import { itemsOfShard, parseShard } from '../../src/run/shard.ts';
import { selectStrategies } from '../../src/strategies/strategies.ts';

const single = (mean: number): Estimate => ({ mean, low: null, high: null, method: 't' });
const interval = (mean: number, low: number, high: number): Estimate => ({ mean, low, high, method: 't' });

const aggregate = (
  strategy: string,
  verdict: CaseAggregate['verdict'],
  metrics: Record<string, Estimate>,
): CaseAggregate => ({
  experiment: 'node-crash',
  strategy,
  repeats: 1,
  verdict,
  verdicts: [verdict],
  flaky: false,
  metrics,
  expectations: [],
});

const summary = (startedAt: string, aggregates: CaseAggregate[]): RunSummary => ({
  schema: 1,
  runtime: 'local',
  startedAt,
  finishedAt: startedAt,
  incomplete: null,
  results: [],
  aggregates,
});

describe('shards: a deterministic, duration-balanced part of the matrix', () => {
  it('reads INDEX/COUNT and refuses anything else', () => {
    expect(parseShard('2/5')).to.deep.equal({ index: 2, count: 5 });
    for (const bad of ['0/3', '4/3', '1', 'a/b', '1/0', '-1/2']) expect(parseShard(bad), bad).to.equal(null);
  });

  it('deals every case to exactly one shard, the long ones spread, the same way every time', () => {
    const costs = [50, 10, 10, 10, 50, 10, 10, 50, 10];
    const shards = [1, 2, 3].map((index) =>
      itemsOfShard(
        costs.map((c, i) => ({ c, i })),
        (x) => x.c,
        { index, count: 3 },
      ),
    );
    expect(
      shards
        .flat()
        .map((x) => x.i)
        .sort((a, b) => a - b),
    ).to.deep.equal(costs.map((_, i) => i));
    expect(shards.map((s) => s.filter((x) => x.c === 50).length)).to.deep.equal([1, 1, 1]);
    expect(shards.map((s) => s.reduce((sum, x) => sum + x.c, 0))).to.deep.equal([70, 70, 70]);
    const again = itemsOfShard(
      costs.map((c, i) => ({ c, i })),
      (x) => x.c,
      { index: 2, count: 3 },
    );
    expect(again.map((x) => x.i)).to.deep.equal(shards[1]?.map((x) => x.i));
  });

  it('leaves a shard empty when there are more shards than cases', () => {
    expect(itemsOfShard([1], (x) => x, { index: 2, count: 2 })).to.deep.equal([]);
  });
});

describe('selecting strategies', () => {
  const listed = ['none', 'all-to-all:sync', 'all-to-all:async'];
  it('takes a name without its mode as every mode the experiment runs', () => {
    expect(selectStrategies(listed, ['all-to-all'])).to.deep.equal(['all-to-all:sync', 'all-to-all:async']);
    expect(selectStrategies(listed, ['all-to-all:sync', 'none'])).to.deep.equal(['all-to-all:sync', 'none']);
    expect(selectStrategies(['none'], ['all-to-all'])).to.deep.equal([]);
  });
});

describe('compare: what got worse since the baseline', () => {
  it('marks pass → fail and pass → unknown as regressions, fail → pass as improved', () => {
    const base = summary('2026-12-01T00:00:00Z', [
      aggregate('a', 'pass', {}),
      aggregate('b', 'pass', {}),
      aggregate('c', 'fail', {}),
    ]);
    const now = summary('2026-12-02T00:00:00Z', [
      aggregate('a', 'fail', {}),
      aggregate('b', 'unknown', {}),
      aggregate('c', 'pass', {}),
    ]);
    const c = compareRuns(base, now, 'base/');
    expect(c.cases.map((k) => [k.strategy, k.verdictChange, k.regressed])).to.deep.equal([
      ['a', 'regressed', true],
      ['b', 'regressed', true],
      ['c', 'improved', false],
    ]);
    expect(c.regressions).to.equal(2);
  });

  it('lists a case only one run has as new or gone, neither a regression', () => {
    const c = compareRuns(
      summary('1', [aggregate('old', 'pass', {})]),
      summary('2', [aggregate('young', 'pass', {})]),
      'b',
    );
    expect(c.cases.map((k) => [k.strategy, k.verdictChange, k.regressed])).to.deep.equal([
      ['young', 'new', false],
      ['old', 'gone', false],
    ]);
  });

  it('judges a single run by the rule: beyond factor × baseline + slack is worse', () => {
    expect(metricChange('staleReads', single(10), single(20)).change).to.equal('same');
    expect(metricChange('staleReads', single(10), single(21)).change).to.equal('worse');
    expect(metricChange('staleReads', single(21), single(10)).change).to.equal('better');
    expect(metricChange('loggedOutShare', single(0.3), single(0.5)).change).to.equal('worse');
    expect(metricChange('loggedOutShare', single(0.3), single(0.4)).change).to.equal('same');
    expect(metricChange('lostUpdatesPer1000Writes', single(105), single(230)).change).to.equal('same');
    expect(metricChange('lostUpdatesPer1000Writes', single(0), single(21)).change).to.equal('worse');
  });

  it('judges repeated runs by their intervals: worse only when they do not overlap', () => {
    expect(metricChange('p50Ms', interval(20, 18, 22), interval(40, 21, 60))).to.include({
      change: 'same',
      rule: 'intervals',
    });
    expect(metricChange('p50Ms', interval(20, 18, 22), interval(40, 30, 50))).to.include({
      change: 'worse',
      rule: 'intervals',
    });
    expect(metricChange('p50Ms', interval(40, 30, 50), interval(20, 18, 22)).change).to.equal('better');
  });

  it('prints a table and Markdown with the regressions first, and the report opens with them', () => {
    const base = summary('2026-12-01T00:00:00Z', [
      aggregate('a', 'pass', { p50Ms: single(20) }),
      aggregate('b', 'pass', { p50Ms: single(20) }),
    ]);
    const now = summary('2026-12-02T00:00:00Z', [
      aggregate('a', 'pass', { p50Ms: single(21) }),
      aggregate('b', 'pass', { p50Ms: single(90) }),
    ]);
    const c = compareRuns(base, now, 'base/');
    const table = comparisonTable(c);
    expect(table).to.match(/^1 of 2 case\(s\) got worse since the baseline base\//);
    expect(table.split('\n')[2])
      .to.contain('node-crash/b')
      .and.contain('REGRESSED')
      .and.contain('p50Ms 20.0 ms → 90.0 ms');
    expect(comparisonMarkdown(c)).to.contain('| node-crash/b | **REGRESSED** | pass |');
    const html = renderReport({ ...now, sinceBaseline: c }, { chartJs: '' });
    expect(html.indexOf('id="since-baseline"')).to.be.greaterThan(0).and.lessThan(html.indexOf('<footer'));
    expect(html).to.contain('1 worse');
  });
});

describe('trends over earlier runs', () => {
  it('follows each case over the last runs before this one, oldest first', () => {
    const run = (day: number, logout: number) =>
      summary(`2026-12-0${day}T00:00:00Z`, [
        aggregate('a', logout > 0.5 ? 'fail' : 'pass', { loggedOutShare: single(logout) }),
      ]);
    const trends = trendsOf([run(3, 0.9), run(1, 0.1), run(9, 0.2)], run(5, 0.3));
    expect(
      trends[0]?.points.map((p) => [p.startedAt.slice(8, 10), p.verdict, p.metrics.loggedOutShare]),
    ).to.deep.equal([
      ['01', 'pass', 0.1],
      ['03', 'fail', 0.9],
      ['05', 'pass', 0.3],
    ]);
    const html = renderReport({ ...run(5, 0.3), trends }, { chartJs: '' });
    expect(html)
      .to.contain('id="trends"')
      .and.contain('<svg class="spark"')
      .and.contain('loggedOutShare over 3 runs: 10.0 %, 90.0 %, 30.0 %');
  });
});

describe('merge: one run from the shards of a matrix', () => {
  const matrix: MatrixInfo = {
    seed: 7,
    profile: 'smoke',
    runtime: 'local',
    experiments: ['node-crash'],
    strategies: null,
    repeats: 1,
    app: null,
    cases: ['a', 'b', 'c'].map((s) => ({
      experiment: 'node-crash',
      strategy: s,
      repeat: 0,
      dir: `node-crash/${s}`,
    })),
  };
  const shard = (index: number, cases: string[], over: Partial<MatrixInfo> = {}): ShardFolder => {
    const info: RunInfo = {
      schema: 1,
      runtime: 'local',
      startedAt: `2026-12-04T10:0${index}:00Z`,
      finishedAt: `2026-12-04T10:1${index}:00Z`,
      seed: 7,
      profile: 'smoke',
      command: 'run',
      planned: [],
      matrix: { ...matrix, ...over },
      shard: { index, count: 3 },
    };
    return { dir: `shard-${index}`, info, cases: cases.map((s) => `node-crash/${s}`) };
  };

  it('plans the whole matrix, from the first start to the last end', () => {
    const info = mergedInfo([shard(2, ['b']), shard(1, ['a']), shard(3, ['c'])], 'merge');
    expect(info.planned?.map((p) => p.dir)).to.deep.equal(['node-crash/a', 'node-crash/b', 'node-crash/c']);
    expect([info.startedAt, info.finishedAt, info.mergeProblems]).to.deep.equal([
      '2026-12-04T10:01:00Z',
      '2026-12-04T10:13:00Z',
      undefined,
    ]);
  });

  it('refuses shards of different matrices, naming the field', () => {
    expect(() => mergedInfo([shard(1, ['a']), shard(2, ['b'], { seed: 8 })], 'merge')).to.throw(
      /shard-2: seed is 8 but shard-1 has 7/,
    );
    expect(() => mergedInfo([shard(1, ['a']), shard(2, ['b'], { profile: 'quick' })], 'merge')).to.throw(
      /profile/,
    );
  });

  it('says what is missing or twice', () => {
    expect(mergedInfo([shard(1, ['a']), shard(3, ['c'])], 'merge').mergeProblems).to.deep.equal([
      'shard 2 of 3 is missing',
    ]);
    const twice = mergedInfo([shard(1, ['a', 'b']), shard(2, ['b']), shard(3, ['c'])], 'merge').mergeProblems;
    expect(twice).to.deep.equal([
      '1 case(s) ran in more than one shard folder, the first kept: node-crash/b',
    ]);
  });
});
