/** How the strategies spread load, end to end through the CLI: the share a scaled-out node takes, and heavy
 * users pinned by sticky sessions against round-robin. */
import { expect } from 'chai';
import type { RunSummary } from '../../src/model/run.ts';
import { runExperiments } from '../helpers/chaos-run.ts';

/** How load spreads over the nodes: scale-out and skewed-users, quick profile, on real HAProxy (about 2½ minutes). */
describe('end to end: scale-out and skewed-users, quick profile', function () {
  this.timeout(600_000);
  let code: number | null = null;
  let summary: RunSummary;

  before(async () => {
    ({ code, summary } = await runExperiments(['scale-out', 'skewed-users'], 17));
  });

  const result = (experiment: string, strategy: string) => {
    const found = summary.results.find((r) => r.experiment === experiment && r.strategy === strategy);
    if (!found) throw new Error(`no result for ${experiment}/${strategy}`);
    return found;
  };

  it('meets every expectation: exit code 0', () => {
    expect(summary.results.map((r) => `${r.experiment}/${r.strategy}: ${r.verdict}`)).to.deep.equal([
      'scale-out/sticky: pass',
      'scale-out/redis: pass',
      'skewed-users/sticky: pass',
      'skewed-users/redis: pass',
    ]);
    expect(code).to.equal(0);
  });

  it('the added node serves a smaller share with sticky sessions than with a shared store', () => {
    const share = (strategy: string) => {
      const { requestsByNode } = result('scale-out', strategy);
      const all = Object.values(requestsByNode).reduce((a, b) => a + b, 0);
      return (requestsByNode['app-4'] ?? 0) / all;
    };
    expect(share('sticky')).to.be.above(0).and.below(share('redis'));
    expect(result('scale-out', 'sticky').faults[0]).to.include({
      kind: 'scale-out',
      target: 'app-4',
      status: 'healed',
    });
  });

  it('heavy users pinned by sticky sessions load their nodes unevenly; round-robin spreads them', () => {
    const [sticky, redis] = [result('skewed-users', 'sticky'), result('skewed-users', 'redis')];
    expect(sticky.imbalance).to.be.at.least(redis.imbalance + 0.1);
    const claim = summary.claims?.find((c) => c.id === 'sticky-concentrates-traffic');
    expect(claim?.status).to.equal('confirmed');
    expect(claim?.cases).to.include.members([sticky.dir, redis.dir]);
  });
});
