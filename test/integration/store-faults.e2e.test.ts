import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { readHistory } from '../../src/history/reader.ts';
import type { CaseResult } from '../../src/model/case.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { runCli } from '../helpers/cli.ts';

describe('end to end: store-outage and store-latency, quick profile', function () {
  this.timeout(420_000);
  let code: number | null = null;
  let summary: RunSummary;
  let runDir = '';

  before(async () => {
    const out = mkdtempSync(join(tmpdir(), 'sc-e2e-store-'));
    const result = await runCli([
      'run',
      '--experiment',
      'store-outage',
      '--experiment',
      'store-latency',
      '--out',
      out,
      '--seed',
      '11',
    ]);
    code = result.code;
    if (code !== 0) process.stderr.write(result.stderr.slice(-3000) + result.stdout);
    runDir = realpathSync(join(out, 'latest'));
    summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  });

  const result = (experiment: string, strategy: string): CaseResult => {
    const found = summary.results.find((r) => r.experiment === experiment && r.strategy === strategy);
    if (!found) throw new Error(`no result for ${experiment}/${strategy}`);
    return found;
  };

  it('meets every expectation: exit code 0', () => {
    expect(summary.results.map((r) => `${r.experiment}/${r.strategy}: ${r.verdict}`)).to.deep.equal([
      'store-outage/redis: pass',
      'store-latency/sticky: pass',
      'store-latency/redis: pass',
    ]);
    expect(code).to.equal(0);
  });

  it('store-outage: users see errors only while the store is cut off, nobody is logged out, recovery is measured', () => {
    const outage = result('store-outage', 'redis');
    const [fault] = outage.faults;
    expect(fault).to.include({ kind: 'store-down', target: 'redis' });
    expect((fault?.healedAt ?? 0) - (fault?.at ?? 0)).to.be.closeTo(10, 0.5);
    expect(outage.errors).to.be.greaterThan(0);
    expect(outage.logouts).to.equal(0);
    expect(fault?.recoveredAfterS).to.be.a('number').and.at.most(2);
    // Every failed op was in flight while the store was cut off (or within a second of the heal).
    const history = readHistory(join(runDir, outage.dir, 'history.jsonl'));
    const failed = history.filter((op) => op.outcome !== 'ok' && op.op !== 'login');
    expect(failed.length).to.be.greaterThan(0);
    const outside = failed.filter(
      (op) => op.end < (fault?.at ?? 0) * 1000 || op.start > ((fault?.healedAt ?? 0) + 1) * 1000,
    );
    expect(outside).to.deep.equal([]);
  });

  it('store-latency: redis requests slow down by the added 200 ms, sticky ones do not', () => {
    const redis = result('store-latency', 'redis').latencyByPhase;
    const sticky = result('store-latency', 'sticky').latencyByPhase;
    expect(redis.during.p50 - redis.before.p50).to.be.at.least(200);
    expect(sticky.during.p50 - sticky.before.p50).to.be.at.most(50);
  });
});
