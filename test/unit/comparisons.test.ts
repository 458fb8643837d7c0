/** The report's comparison of strategies: repeats averaged, latency by phase where faults acted, cluster-size
 * experiments drawn against the node count. */
import { expect } from 'chai';
import { parse } from 'node-html-parser';
import { checkCase } from '../../src/checkers/check-case.ts';
import type { CaseResult } from '../../src/model/case.ts';
import { comparisonData, comparisonSection } from '../../src/report/html/comparisons.ts';
import { renderReport } from '../../src/report/html/render.ts';
import { login, read } from '../helpers/ops.ts';
import { caseRecord } from '../helpers/records.ts';
import { summaryOf } from '../helpers/summary.ts';

const record = caseRecord({
  experiment: 'cluster-size',
  strategy: 'all-to-all',
  durationS: 10,
  dir: 'cluster-size/all-to-all',
});
const base = checkCase(record, [login(0), read(100, [])], []).result;
const latency = (p50: number) => ({ count: 10, p50, p90: p50, p99: p50 * 2, max: p50 * 3 });
const at = (strategy: string, extra: Partial<CaseResult>, bytes: number, memory: number): CaseResult => ({
  ...base,
  strategy,
  cost: {
    links: {
      replication: { bytes: 0, perSecond: 0, perWrite: bytes },
      lb: { bytes: 0, perSecond: 0, perWrite: 100 },
    },
    memoryMb: { 'app-1': { avg: memory, max: memory }, 'app-2': { avg: memory + 2, max: memory + 2 } },
    notes: [],
  },
  ...extra,
});

describe('strategies compared', () => {
  it('averages repeats of a strategy; latency by phase only where the experiment had faults', () => {
    const cases = [
      at('redis', { latency: latency(4) }, 0, 100),
      at('redis', { latency: latency(6), repeat: 1 }, 0, 104),
      at('sticky', { latency: latency(3) }, 0, 90),
    ];
    const data = comparisonData('exp-x', cases);
    expect(data.bySize).to.equal(false);
    expect(
      data.cases.map((c) => [c.strategy, c.latency.after, c.memoryMb, c.bytesPerWrite.lb]),
    ).to.deep.equal([
      ['redis', [5, 10], 103, 100],
      ['sticky', [3, 6], 91, 100],
    ]);
    expect(data.cases[0]?.latency.before, 'no faults: no phases').to.equal(undefined);
    const ids = parse(comparisonSection(data))
      .querySelectorAll('canvas')
      .map((c) => c.id);
    expect(ids).to.deep.equal(['exp-x-cmp-latency', 'exp-x-cmp-bytes', 'exp-x-cmp-memory']);
  });

  it('an experiment over cluster sizes is drawn against the node count, one line per strategy', () => {
    const cases = [2, 4, 8].flatMap((n) => [
      at('all-to-all', { appNodes: n }, 300 * n, 100 + 10 * n),
      at('primary-secondary', { appNodes: n }, 300, 100),
    ]);
    const data = comparisonData('exp-size', cases);
    expect(data.bySize).to.equal(true);
    expect(
      data.cases
        .filter((c) => c.strategy === 'all-to-all')
        .map((c) => [c.nodes, c.bytesPerWrite.replication]),
    ).to.deep.equal([
      [2, 600],
      [4, 1200],
      [8, 2400],
    ]);
    const html = renderReport(summaryOf(cases.map((c) => ({ ...c, experiment: 'size' }))), { chartJs: '' });
    const canvases = parse(html)
      .querySelectorAll('.compare-charts canvas')
      .map((c) => c.id);
    expect(canvases).to.deep.equal([
      'exp-size-cmp-size-bytes',
      'exp-size-cmp-size-memory',
      'exp-size-cmp-size-latency',
    ]);
    const embedded = JSON.parse(parse(html).querySelector('#report-data')?.text ?? '{}');
    expect(embedded.experiments[0].cases).to.have.length(6);
  });

  it('one strategy alone has nothing to compare', () => {
    expect(comparisonSection(comparisonData('exp-1', [at('redis', {}, 0, 1)]))).to.equal('');
  });
});
