/** Latency split by whether an op landed on its session's previous node (BackupManager's extra hop), and the
 * claim decided from primary-secondary against all-to-all. */
import { expect } from 'chai';
import { checkCase } from '../../src/checkers/check-case.ts';
import { decideClaims } from '../../src/checkers/claims.ts';
import type { CaseResult } from '../../src/model/case.ts';
import { add, login, read } from '../helpers/ops.ts';
import { caseRecord } from '../helpers/records.ts';

const record = caseRecord({
  experiment: 'cluster-size',
  strategy: 'primary-secondary:sync',
  durationS: 10,
  dir: 'cluster-size/primary-secondary-sync',
});

describe("latency on the previous op's node or another (BackupManager's extra hop)", () => {
  it('splits session ops by whether they landed where the previous op of the session did; logins and failures reset', () => {
    const ops = [
      login(0, { node: 'app-1' }),
      read(100, [], { node: 'app-1', end: 102 }),
      add(200, 'u1-1', ['u1-1'], { node: 'app-2', end: 230 }),
      read(300, ['u1-1'], { node: 'app-2', end: 302 }),
      read(400, ['u1-1'], { node: 'app-1', outcome: 'info', status: 502, end: 500 }),
      read(600, ['u1-1'], { node: 'app-2', end: 603 }),
      login(700, { node: 'app-1', epoch: 2 }),
      read(800, [], { node: 'app-2', epoch: 2, end: 840 }),
    ];
    const hops = checkCase(record, ops, []).result.latencyByNodeChange;
    expect(hops?.sameNode.count, 'app-1 → app-1, app-2 → app-2').to.equal(2);
    expect(hops?.otherNode.count, 'app-1 → app-2 twice; not after a failed op').to.equal(2);
    expect(hops?.otherNode.p50).to.be.greaterThan(hops?.sameNode.p50 ?? Number.POSITIVE_INFINITY);
  });

  it('decides the claim from primary-secondary against all-to-all in the same experiment', () => {
    const hops = (same: number, other: number) => ({
      sameNode: { count: 500, p50: same, p90: same, p99: same, max: same },
      otherNode: { count: 500, p50: other, p90: other, p99: other, max: other },
    });
    const base = checkCase(record, [login(0)], []).result;
    const at = (strategy: string, same: number, other: number): CaseResult => ({
      ...base,
      strategy,
      dir: strategy,
      latencyByNodeChange: hops(same, other),
    });
    const decide = (cases: CaseResult[]) => decideClaims(cases).find((c) => c.id === 'backup-extra-hop');
    const slowerElsewhere = decide([at('primary-secondary:sync', 5, 8), at('all-to-all:sync', 8, 9)]);
    expect(slowerElsewhere?.status).to.equal('confirmed');
    expect(slowerElsewhere?.figure).to.equal(
      'p50 5 ms on the same node, 8 ms on another (all-to-all: p50 8 ms on the same node, 9 ms on another)',
    );
    expect(decide([at('primary-secondary:sync', 5, 5.5)])?.status, 'only 10 % slower').to.equal('refuted');
    expect(decide([at('primary-secondary:sync', 5, 8), at('all-to-all:sync', 5, 9)])?.status).to.equal(
      'refuted',
    );
    expect(decide([at('all-to-all:sync', 5, 9)])?.status).to.equal('not measured');
  });
});
