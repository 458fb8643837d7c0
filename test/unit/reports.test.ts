import { expect } from 'chai';
import { checkCase } from '../../src/checkers/check-case.ts';
import { faultRecords } from '../../src/faults/ledger.ts';
import type { CaseRecord } from '../../src/model/case.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { junitXml } from '../../src/report/junit.ts';
import { summaryTable } from '../../src/report/terminal.ts';
import { add, login, noSession, read } from '../helpers/ops.ts';

const record = (expectations: CaseRecord['expectations']): CaseRecord => ({
  experiment: 'node-crash',
  strategy: 'sticky',
  repeat: 0,
  durationS: 30,
  nodes: ['app-1', 'app-2'],
  expectations,
  dir: 'node-crash/sticky',
  startedAt: '2026-11-25T00:00:00.000Z',
});

// u1 is on app-2 when it is killed at 10 s and is logged out; u2 stays on app-1 throughout.
const history = [
  login(0, { node: 'app-2' }),
  add(1000, 'a', ['a'], { node: 'app-2' }),
  noSession(11_000, { node: 'app-1' }),
  login(0, { user: 'u2' }),
  read(12_000, [], { user: 'u2', node: 'app-1' }),
];
const faults = faultRecords([
  { event: 'inject', id: 0, kind: 'kill-node', target: 'app-2', at: 10 },
  { event: 'heal-start', id: 0, at: 20 },
  { event: 'healed', id: 0, at: 21.5 },
]);

describe('case results', () => {
  it('folds the fault ledger into records with heal times', () => {
    expect(faults).to.deep.equal([{ kind: 'kill-node', target: 'app-2', at: 10, healedAt: 21.5 }]);
  });

  it('counts anomalies and passes the expectations that hold', () => {
    const { result } = checkCase(
      record([{ metric: 'logouts', atLeast: 1 }, { check: 'logouts-only-among-users-of-faulted-nodes' }]),
      history,
      faults,
    );
    expect(result).to.include({ verdict: 'pass', logouts: 1, loggedOutUsers: 1, users: 2, ops: 5 });
    expect(result.expectations.map((e) => [e.name, e.ok, e.detail])).to.deep.equal([
      ['logouts ≥ 1', true, 'logouts was 1'],
      [
        'logouts only among users of the faulted node',
        true,
        'all 1 logged-out user(s) were on app-2 when it failed',
      ],
    ]);
    expect(result.requestsByNode).to.deep.equal({ 'app-1': 3, 'app-2': 2 });
  });

  it('fails the pinned-users check when a user of a healthy node is logged out', () => {
    const moved = faultRecords([{ event: 'inject', id: 0, kind: 'kill-node', target: 'app-1', at: 10 }]);
    const { result } = checkCase(
      record([{ check: 'logouts-only-among-users-of-faulted-nodes' }]),
      history,
      moved,
    );
    expect(result.verdict).to.equal('fail');
    expect(result.expectations[0]?.detail).to.equal(
      "1 logout(s) outside the faulted node's users, e.g. u1 at 11005 ms (app-2)",
    );
  });

  it('is unknown, not passed, when the case did not run to the end', () => {
    const { result } = checkCase(
      { ...record([]), error: 'the cluster did not start: haproxy missing' },
      [],
      [],
    );
    expect(result.verdict).to.equal('unknown');
  });

  it('writes a JUnit testcase per strategy × expectation, failures and unknowns marked', () => {
    const { result } = checkCase(
      record([
        { metric: 'logouts', equals: 0 },
        { metric: 'staleReads', equals: 0 },
      ]),
      history,
      faults,
    );
    const summary: RunSummary = {
      schema: 1,
      runtime: 'local',
      startedAt: 'a',
      finishedAt: 'b',
      results: [result],
    };
    const xml = junitXml(summary);
    expect(xml).to.contain('<testsuite name="node-crash" tests="2" failures="1" errors="0">');
    expect(xml).to.contain('name="sticky: logouts = 0" time="30"><failure message="logouts was 1">');
    expect(summaryTable(summary)).to.contain('node-crash/sticky: failed: logouts = 0 (logouts was 1)');
  });

  it('keeps JUnit XML well-formed whatever a detail holds: markup escaped, control characters dropped', () => {
    const { result } = checkCase(record([{ metric: 'logouts', equals: 0 }]), history, faults);
    result.expectations = [{ name: 'a <b> & "c"', ok: false, detail: 'bell\u0007 nul\u0000 tab\t ok' }];
    const summary: RunSummary = {
      schema: 1,
      runtime: 'local',
      startedAt: 'a',
      finishedAt: 'b',
      results: [result],
    };
    const xml = junitXml(summary);
    expect(xml).to.contain('name="sticky: a &lt;b&gt; &amp; &quot;c&quot;"');
    expect(xml).to.contain('<failure message="bell nul tab\t ok">');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for the characters XML forbids
    expect(xml).not.to.match(/[\u0000-\u0008]/);
  });
});
