import { expect } from 'chai';
import type { RunSummary } from '../../src/model/run.ts';
import { runExperiments } from '../helpers/chaos-run.ts';

/** The scale-out experiment, quick profile, on real HAProxy (about 1½ minutes). */
describe('end to end: scale-out, quick profile', function () {
  this.timeout(600_000);
  let code: number | null = null;
  let summary: RunSummary;

  before(async () => {
    ({ code, summary } = await runExperiments(['scale-out'], 17));
  });

  const result = (strategy: string) => {
    const found = summary.results.find((r) => r.strategy === strategy);
    if (!found) throw new Error(`no result for scale-out/${strategy}`);
    return found;
  };

  it('meets every expectation: exit code 0', () => {
    expect(summary.results.map((r) => `${r.strategy}: ${r.verdict}`)).to.deep.equal([
      'sticky: pass',
      'redis: pass',
    ]);
    expect(code).to.equal(0);
  });

  it('the added node serves a smaller share with sticky sessions than with a shared store', () => {
    const share = (strategy: string) => {
      const { requestsByNode } = result(strategy);
      const all = Object.values(requestsByNode).reduce((a, b) => a + b, 0);
      return (requestsByNode['app-4'] ?? 0) / all;
    };
    expect(share('sticky')).to.be.above(0).and.below(share('redis'));
    expect(result('sticky').faults[0]).to.include({ kind: 'scale-out', target: 'app-4', status: 'healed' });
  });
});
