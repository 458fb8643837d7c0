/** The store-outage and store-latency experiments end to end: errors only while the store is cut off, nobody
 * logged out, recovery measured, and the added latency only on requests made while it acts. */
import { join } from 'node:path';
import { expect } from 'chai';
import { readLedger } from '../../src/faults/ledger.ts';
import { readHistory } from '../../src/history/reader.ts';
import type { CaseResult } from '../../src/model/case.ts';
import type { Op } from '../../src/model/op.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { runExperiments } from '../helpers/chaos-run.ts';

describe('end to end: store-outage and store-latency, quick profile', function () {
  this.timeout(420_000);
  let code: number | null = null;
  let summary: RunSummary;
  let runDir = '';

  before(async () => {
    ({ code, runDir, summary } = await runExperiments(['store-outage', 'store-latency'], 11));
  });

  const result = (experiment: string, strategy: string): CaseResult => {
    const found = summary.results.find((r) => r.experiment === experiment && r.strategy === strategy);
    if (!found) throw new Error(`no result for ${experiment}/${strategy}`);
    return found;
  };

  it('meets every expectation: exit code 0', () => {
    expect(summary.results.map((r) => `${r.experiment}/${r.strategy}: ${r.verdict}`)).to.deep.equal([
      'store-outage/redis: pass',
      'store-latency/redis: pass',
    ]);
    expect(code).to.equal(0);
  });

  it('store-outage: errors only while the store was cut off, nobody logged out, recovery measured from the history', () => {
    const outage = result('store-outage', 'redis');
    const [fault] = outage.faults;
    expect(fault).to.include({ kind: 'store-down', target: 'redis', status: 'healed' });
    const atMs = (fault?.at ?? 0) * 1000;
    const healMs = (fault?.healedAt ?? 0) * 1000;
    expect(healMs - atMs).to.be.closeTo(10_000, 500);
    expect(outage.logouts).to.equal(0);
    // Every op that failed, logins included, was in flight while the store was cut off (or within 1 s after).
    const history = readHistory(join(runDir, outage.dir, 'history.jsonl'));
    const failed = history.filter((op) => op.outcome !== 'ok');
    const during = failed.filter((op) => op.end >= atMs && op.start <= healMs);
    expect(during.length, 'the outage made requests fail').to.be.greaterThan(10);
    expect(failed.filter((op) => op.end < atMs || op.start > healMs + 1000)).to.deep.equal([]);
    // Recovery, recomputed here: from the heal to the end of the last failed op before the first whole
    // second after it in which ops worked and none failed.
    const second = (op: { start: number }) => Math.floor((op.start - healMs) / 1000);
    const failedAfter = failed.filter((op) => op.start > healMs);
    const worked = history.filter((op) => op.start > healMs && op.outcome === 'ok').map(second);
    const clean = Math.min(...worked.filter((s) => !failedAfter.some((f) => second(f) === s)));
    const late = failedAfter.filter((op) => second(op) < clean).map((op) => op.end - healMs);
    expect(fault?.recoveredAfterS).to.be.closeTo(Math.max(0, ...late) / 1000, 0.002);
    // The first failed op that started while the store was cut (one in flight at the cut started before it).
    const startedDuring = during.filter((op) => op.start >= atMs).map((op) => op.start);
    expect(fault?.firstFailureAfterS).to.be.closeTo((Math.min(...startedDuring) - atMs) / 1000, 0.002);
  });

  it('store-latency: every request made wholly while it is on takes the added 200 ms, and not before', () => {
    const latency = result('store-latency', 'redis');
    const [fault] = latency.faults;
    expect(fault).to.include({ kind: 'store-latency', status: 'healed' });
    // Every op reads or writes the session in Redis, so each one waits at least once. Compared op by op, not
    // by medians: on a busy machine the medians before the fault are already hundreds of milliseconds.
    // Within the window, with a second's margin: the ledger's `at` is written before the toxic goes onto
    // the three links (one API call each), and from the heal's start each link's toxic may be gone.
    const atMs = (fault?.at ?? 0) * 1000;
    const ledger = readLedger(join(runDir, latency.dir, 'faults.jsonl'));
    const healStart = ledger.find((e) => e.event === 'heal-start');
    const healStartMs = (healStart?.at ?? 0) * 1000;
    const took = (ops: Op[]) => ops.map((op) => op.end - op.start);
    const history = readHistory(join(runDir, latency.dir, 'history.jsonl')).filter(
      (op) => op.outcome === 'ok' && !op.final,
    );
    const during = took(history.filter((op) => op.start >= atMs + 1000 && op.end <= healStartMs));
    const before = took(history.filter((op) => op.end < atMs));
    expect(during.length, 'ops made wholly during the fault').to.be.above(20);
    expect(Math.min(...during), 'the fastest op during the fault').to.be.at.least(200);
    expect(Math.min(...before), 'the fastest op before the fault').to.be.below(200);
  });
});
