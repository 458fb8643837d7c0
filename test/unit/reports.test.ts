/** From histories to verdicts: the fault ledger folded into records, expectations decided or unknown, pinned
 * users, lost-write bounds, recovery and latency metrics, and JUnit output. */
import { expect } from 'chai';
import { checkCase } from '../../src/checkers/check-case.ts';
import { verdictOf } from '../../src/checkers/judge.ts';
import { faultRecords } from '../../src/faults/ledger.ts';
import type { CaseRecord, CaseResult } from '../../src/model/case.ts';
import type { ExpectationDefinition } from '../../src/model/expectation.ts';
import type { FaultRecord, LedgerEntry } from '../../src/model/fault.ts';
import type { Op } from '../../src/model/op.ts';
import { type RunSummary, runPassed } from '../../src/model/run.ts';
import { renderReport } from '../../src/report/html/render.ts';
import { junitXml } from '../../src/report/junit.ts';
import { summaryTable } from '../../src/report/terminal.ts';
import { add, login, noSession, op, read } from '../helpers/ops.ts';
import { summaryOf } from '../helpers/summary.ts';

const record = (expectations: ExpectationDefinition[], extra: Partial<CaseRecord> = {}): CaseRecord => ({
  experiment: 'node-crash',
  strategy: 'sticky',
  repeat: 0,
  durationS: 30,
  nodes: ['app-1', 'app-2'],
  expectations,
  dir: 'node-crash/sticky',
  startedAt: '2026-11-25T00:00:00.000Z',
  completed: true,
  ...extra,
});

const kill = (target: string, at: number, healedAt?: number): LedgerEntry[] => [
  { event: 'inject', id: 0, kind: 'kill-node', target, at },
  { event: 'effect', id: 0, at, observed: true, evidence: `${target} exited; HAProxy marked it DOWN` },
  ...(healedAt === undefined
    ? []
    : ([
        { event: 'heal-start', id: 0, at: healedAt - 1 },
        { event: 'healed', id: 0, at: healedAt },
      ] as LedgerEntry[])),
];

// u1 is on app-2 when it is killed at 10 s and is logged out; u2 stays on app-1 throughout.
const history = [
  login(0, { node: 'app-2' }),
  add(1000, 'a', ['a'], { node: 'app-2' }),
  noSession(11_000, { node: 'app-1' }),
  login(0, { user: 'u2' }),
  read(12_000, [], { user: 'u2', node: 'app-1' }),
  read(25_000, [], { user: 'u2', node: 'app-1', final: true }),
  noSession(25_000, { node: 'app-1', final: true }),
];
const faults = faultRecords(kill('app-2', 10, 21.5));

const check = (
  expectations: ExpectationDefinition[],
  ops: Op[] = history,
  f: FaultRecord[] = faults,
  extra = {},
) => checkCase(record(expectations, extra), ops, f).result;
const decisions = (result: ReturnType<typeof check>) => result.expectations.map((e) => [e.ok, e.detail]);

describe('the fault ledger', () => {
  it('folds into records: healed, never healed, never acted', () => {
    expect(faults).to.deep.equal([
      {
        kind: 'kill-node',
        target: 'app-2',
        at: 10,
        healedAt: 21.5,
        status: 'healed',
        effect: { observed: true, at: 10, evidence: 'app-2 exited; HAProxy marked it DOWN' },
      },
    ]);
    const entries: LedgerEntry[] = [
      { event: 'inject', id: 0, kind: 'kill-node', target: 'app-1', at: 1 },
      { event: 'heal-start', id: 0, at: 2 },
      { event: 'heal-failed', id: 0, at: 2, error: 'attempt 3 of 3: refused' },
      { event: 'skipped', id: 1, kind: 'store-down', target: 'store:any', at: 3, error: 'nothing to hit' },
      { event: 'inject', id: 2, kind: 'partition', target: 'app-2', at: 4 },
      { event: 'inject-failed', id: 2, at: 4, error: 'no proxy' },
      { event: 'healed', id: 2, at: 5 },
      { event: 'inject', id: 3, kind: 'kill-node', target: 'app-3', at: 6 },
      { event: 'heal-start', id: 3, at: 7 },
    ];
    expect(faultRecords(entries).map((f) => [f.status, f.healedAt, f.error])).to.deep.equal([
      ['not-healed', null, 'heal failed: attempt 3 of 3: refused'],
      ['not-applied', null, 'nothing to hit'],
      ['not-applied', null, 'no proxy'],
      ['not-healed', null, 'its heal began at 7 s and never finished (the runner stopped during it)'],
    ]);
    const late: LedgerEntry = {
      event: 'inject',
      id: 0,
      kind: 'pause-node',
      target: 'app-1',
      at: 10.042,
      scheduledAt: 10,
    };
    expect(faultRecords([late])[0]?.lateMs, 'how late it was applied').to.equal(42);
  });

  it('a planned fault that never fired is a record of its own, never acted', () => {
    const planned = [
      { id: 0, kind: 'kill-node', target: 'app:busiest', atS: 10, durationS: 10 },
      { id: 1, kind: 'store-down', target: 'store:any', atS: 29, durationS: 1 },
    ];
    const records = faultRecords(kill('app-2', 10, 21.5), planned);
    expect(records.map((f) => [f.kind, f.target, f.status, f.error])).to.deep.equal([
      ['kill-node', 'app-2', 'healed', undefined],
      ['store-down', 'store:any', 'not-applied', 'it never fired (it was due at 29 s)'],
    ]);
    const result = checkCase(record([{ metric: 'logouts', atLeast: 1 }]), history, records).result;
    expect(decisions(result)).to.deep.equal([
      [null, 'the store-down fault on store:any never acted: it never fired (it was due at 29 s)'],
    ]);
  });

  it("a fault's time after its heal runs to the next fault that acted, not to one that never did", () => {
    const entries: LedgerEntry[] = [
      ...kill('app-2', 10, 12),
      { event: 'skipped', id: 1, kind: 'store-down', target: 'store:any', at: 13, error: 'nothing to hit' },
    ];
    const error = op({ op: 'read', start: 14_000, status: 503, outcome: 'info', user: 'u2' });
    const [kept] = checkCase(record([]), [login(0), error], faultRecords(entries)).result.faults;
    expect(kept?.lastAnomalyAfterHealS).to.equal(2.005);
  });

  it('a fault without a seen effect, or that acted after the workload ended, leaves its case undecided', () => {
    const [inject, , ...rest] = kill('app-2', 10, 21.5) as [LedgerEntry, LedgerEntry, ...LedgerEntry[]];
    const unseen: LedgerEntry = {
      event: 'effect',
      id: 0,
      at: 12,
      observed: false,
      evidence: 'HAProxy still had app-2 UP when the heal began',
    };
    const judged = (entries: LedgerEntry[]) =>
      decisions(
        checkCase(record([{ metric: 'logouts', atLeast: 1 }]), history, faultRecords(entries)).result,
      );
    expect(judged([inject, ...rest])).to.deep.equal([
      [null, 'the kill-node fault on app-2 acted, but no effect of it was recorded'],
    ]);
    expect(judged([inject, unseen, ...rest])).to.deep.equal([
      [
        null,
        'the kill-node fault on app-2 acted, but its effect was not seen: HAProxy still had app-2 UP when the heal began',
      ],
    ]);
    const afterEnd = kill('app-2', 30, 31).map((e) => ({ ...e }));
    expect(judged(afterEnd)).to.deep.equal([
      [null, 'the kill-node fault on app-2 acted at 30 s, after the workload ended (30 s)'],
    ]);
  });
});

describe('expectations and verdicts', () => {
  it('a verdict needs decided expectations, and a run needs cases: nothing decided is unknown, not pass', () => {
    expect([[], [true, null], [true, false, null], [true, true]].map(verdictOf)).to.deep.equal([
      'unknown',
      'unknown',
      'fail',
      'pass',
    ]);
    const run = (verdicts: CaseResult['verdict'][]) =>
      runPassed({ incomplete: null, results: verdicts.map((verdict) => ({ verdict })) } as RunSummary);
    expect([run([]), run(['pass', 'unknown']), run(['pass', 'pass'])]).to.deep.equal([false, false, true]);
  });

  it('counts anomalies and passes the expectations that hold', () => {
    const result = check([
      { metric: 'logouts', atLeast: 1 },
      { check: 'logouts-only-among-users-of-faulted-nodes' },
    ]);
    expect(result).to.include({ verdict: 'pass', logouts: 1, loggedOutUsers: 1, users: 2, ops: 7 });
    expect(decisions(result)).to.deep.equal([
      [true, 'logouts was 1'],
      [true, 'all 1 logged-out user(s) were on app-2 when it failed'],
    ]);
    expect(result.exposure).to.deep.equal({ logout: 0.5 });
    expect(result.faults[0]).to.include({ firstFailureAfterS: 1, firstAnomalyAfterS: 1.005 });
  });

  it('pinned users: a logout of a user of a healthy node fails the check', () => {
    const result = check(
      [{ check: 'logouts-only-among-users-of-faulted-nodes' }],
      history,
      faultRecords(kill('app-1', 10, 21.5)),
    );
    expect(result.verdict).to.equal('fail');
    expect(result.expectations[0]?.detail).to.equal(
      '1 logout(s) outside the users of app-1, e.g. u1 at 11005 ms (on app-2 when the fault began)',
    );
  });

  it("pinned users: an op in flight on the faulted node when it failed makes its user that node's user", () => {
    const inFlight = [
      login(0, { node: 'app-1' }),
      read(9_990, ['a'], { node: 'app-2', end: 10_050 }),
      noSession(11_000),
    ];
    const result = check([{ check: 'logouts-only-among-users-of-faulted-nodes' }], inFlight);
    expect(result.expectations[0]?.ok).to.equal(true);
  });

  it('pinned users: a user pinned to the faulted node stays its user when its op in flight is answered elsewhere', () => {
    // Sent to app-2 just before it died, redispatched by the load balancer to app-1, which has no session.
    const redispatched = [login(0, { node: 'app-2' }), noSession(9_990, { node: 'app-1', end: 10_600 })];
    const elsewhere = [login(0, { node: 'app-3' }), noSession(9_990, { node: 'app-1', end: 10_600 })];
    const verdict = (ops: Op[]) =>
      check([{ check: 'logouts-only-among-users-of-faulted-nodes' }], ops).expectations[0];
    expect(verdict(redispatched)?.ok).to.equal(true);
    expect(verdict(elsewhere)?.detail).to.equal(
      '1 logout(s) outside the users of app-2, e.g. u1 at 10600 ms (on app-1 and app-3 when the fault began)',
    );
  });

  it('pinned users: bounded to the fault and the epoch the user was in when it began', () => {
    const before = [login(0, { node: 'app-2' }), noSession(9_000, { node: 'app-2' })];
    const laterEpoch = [
      login(0, { node: 'app-2' }),
      login(12_000, { epoch: 2, node: 'app-1' }),
      noSession(13_000, { epoch: 2 }),
    ];
    for (const ops of [before, laterEpoch]) {
      const result = check([{ check: 'logouts-only-among-users-of-faulted-nodes' }], ops);
      expect(result.expectations[0]?.ok, JSON.stringify(ops.at(-1))).to.equal(false);
    }
  });

  it('is unknown, never pass, when the case did not complete, or did not start', () => {
    for (const extra of [{ completed: false }, { error: 'the cluster did not start: haproxy missing' }]) {
      const result = check([{ metric: 'logouts', atLeast: 1 }], history, faults, extra);
      expect(result.verdict).to.equal('unknown');
    }
    expect(
      check([{ metric: 'logouts', atLeast: 1 }], history, faults, { completed: false }).expectations[0]
        ?.detail,
    ).to.equal('the case did not complete: its runner stopped before the end');
  });

  it('is unknown when a fault never acted or was never healed, whatever the counts say', () => {
    const skipped = faultRecords([
      {
        event: 'skipped',
        id: 0,
        kind: 'kill-node',
        target: 'app:app-9',
        at: 10,
        error: 'app-9 is not a running node',
      },
    ]);
    const notHealed = faultRecords(kill('app-2', 10));
    expect(decisions(check([{ metric: 'logouts', atLeast: 1 }], history, skipped))).to.deep.equal([
      [null, 'the kill-node fault on app:app-9 never acted: app-9 is not a running node'],
    ]);
    expect(check([{ metric: 'logouts', atLeast: 1 }], history, notHealed).verdict).to.equal('unknown');
  });

  it('reports a strategy without expectations as "no expectations", not as a pass', () => {
    const result = check([]);
    expect(result.verdict).to.equal('unknown');
    expect(result.expectations.map((e) => e.name)).to.deep.equal(['no expectations']);
  });

  it('a crashed checker makes what it measures unknown, and the checks that need it', () => {
    const broken = read(5000, ['a'], {
      read: { user: 'u1', items: null as unknown as string[], version: 1 },
    });
    const result = check(
      [
        { metric: 'partialSessions', equals: 0 },
        { check: 'anomalies-only-during-faults' },
        { metric: 'logouts', atLeast: 1 },
      ],
      [...history, broken],
    );
    expect(result.checkerErrors.map((e) => e.checker)).to.include('partial-session');
    expect(result.expectations.map((e) => e.ok)).to.deep.equal([null, null, true]);
  });

  it('lost writes lie between the decided ones and those plus the undecided: each bound decided both ways', () => {
    const timeout = (user: string) =>
      op({ op: 'read', start: 25_000, status: null, outcome: 'info', error: 'timeout', final: true, user });
    const histories = [
      // u1: a view missed `a`, then every final read failed: undecided.
      login(0),
      add(1000, 'a', ['a']),
      read(2000, []),
      timeout('u1'),
      // u2: its final reads both answered without `b`: lost.
      login(0, { user: 'u2' }),
      add(1000, 'b', ['b'], { user: 'u2' }),
      read(25_000, [], { user: 'u2', final: true }),
      read(26_000, [], { user: 'u2', final: true }),
    ];
    const bounds: [ExpectationDefinition, boolean | null][] = [
      [{ metric: 'lostWrites', equals: 0 }, false],
      [{ metric: 'lostWrites', equals: 1 }, null],
      [{ metric: 'lostWrites', equals: 2 }, null],
      [{ metric: 'lostWrites', equals: 3 }, false],
      [{ metric: 'lostWrites', atLeast: 1 }, true],
      [{ metric: 'lostWrites', atLeast: 2 }, null],
      [{ metric: 'lostWrites', atLeast: 3 }, false],
      [{ metric: 'lostWrites', atMost: 2 }, true],
      [{ metric: 'lostWrites', atMost: 1 }, null],
      [{ metric: 'lostWrites', atMost: 0 }, false],
    ];
    const result = check(
      bounds.map(([e]) => e),
      histories,
      [],
    );
    expect([result.lostWrites, result.undecidedWrites, result.undecidedUsers]).to.deep.equal([1, 1, 1]);
    expect(result.expectations.map((e) => e.ok)).to.deep.equal(bounds.map(([, ok]) => ok));
    expect(result.expectations[0]?.detail).to.equal(
      'lostWrites was between 1 and 2 (1 write(s) of 1 user(s) whose last final read failed are undecided)',
    );
    const summary = summaryOf([result]);
    expect(summaryTable(summary))
      .to.match(/\s1\+1\?\s/)
      .and.contain('lost n+m?: n writes lost, m undecided');
    expect(renderReport(summary, { chartJs: '' }))
      .to.contain('+1 undecided')
      .and.contain('lost writes: 1 to 2');
    // An undecided user with nothing left to decide leaves the count exact.
    const clean = [login(0), add(1000, 'a', ['a']), read(2000, ['a']), timeout('u1')];
    expect(decisions(check([{ metric: 'lostWrites', equals: 0 }], clean, []))).to.deep.equal([
      [true, 'lostWrites was 0'],
    ]);
  });

  it('equals N is decided both ways without a range', () => {
    const lost = [login(0), add(1000, 'a', ['a']), read(25_000, [], { final: true })];
    const again = [...lost, read(26_000, [], { final: true })];
    const outcomes = [0, 1, 2].map(
      (n) => check([{ metric: 'lostWrites', equals: n }], again, []).expectations[0]?.ok,
    );
    expect(outcomes).to.deep.equal([false, true, false]);
  });

  it('recoveryS: from the heal to the end of the last failure before a clean second; unknown when nothing healed', () => {
    const calm = history.filter((o) => !(o.final && o.user === 'u1'));
    const late = [
      ...calm,
      op({ op: 'read', start: 24_000, end: 24_500, status: 502, outcome: 'info', user: 'u2' }),
    ];
    expect(decisions(check([{ metric: 'recoveryS', atMost: 2 }], late))).to.deep.equal([
      [false, 'recoveryS was 3'],
    ]);
    expect(decisions(check([{ metric: 'recoveryS', atMost: 2 }], calm))).to.deep.equal([
      [true, 'recoveryS was 0'],
    ]);
    // A failure after a whole second in which ops worked again is not this fault's.
    const unrelated = op({
      op: 'read',
      start: 28_000,
      end: 28_100,
      status: 502,
      outcome: 'info',
      user: 'u2',
    });
    expect(decisions(check([{ metric: 'recoveryS', atMost: 5 }], [...late, unrelated]))).to.deep.equal([
      [true, 'recoveryS was 3'],
    ]);
    expect(check([{ metric: 'recoveryS', atMost: 2 }], history, []).expectations[0]?.ok).to.equal(null);
  });

  it('p50RiseMs: p50 while a fault was active minus p50 before; unknown without a fault window', () => {
    const slow = [
      ...[0, 100, 200].map((t) => read(t, [], { end: t + 10, user: `b${t}` })),
      ...[11_000, 11_100, 11_200].map((t) => read(t, [], { end: t + 250, user: `d${t}` })),
    ];
    expect(decisions(check([{ metric: 'p50RiseMs', atLeast: 200 }], slow))).to.deep.equal([
      [true, 'p50RiseMs was 240'],
    ]);
    expect(decisions(check([{ metric: 'p50RiseMs', atMost: 50 }], slow, []))).to.deep.equal([
      [null, 'p50RiseMs unknown: no fault acted, so there is no window to compare'],
    ]);
  });

  it('anomalies only during faults: inside a window or its grace passes, outside fails', () => {
    const error = (start: number) => op({ op: 'read', start, status: 503, outcome: 'info', user: 'u2' });
    const expectation: ExpectationDefinition[] = [{ check: 'anomalies-only-during-faults', graceS: 1 }];
    expect(check(expectation, [login(0), error(15_000), error(22_000)]).expectations[0]?.ok).to.equal(true);
    expect(decisions(check(expectation, [login(0), error(15_000), error(23_000)]))).to.deep.equal([
      [false, '1 of 2 anomalies outside every fault window, e.g. error of u2 at 23000 ms'],
    ]);
  });

  it('writes a JUnit testcase per strategy × expectation, failures and unknowns marked', () => {
    const result = check([
      { metric: 'logouts', equals: 0 },
      { metric: 'staleReads', equals: 0 },
    ]);
    const summary = summaryOf([result]);
    const xml = junitXml(summary);
    expect(xml).to.contain('<testsuite name="node-crash" tests="2" failures="1" errors="0">');
    expect(xml).to.contain('name="sticky: logouts = 0" time="30"><failure message="logouts was 1">');
    expect(summaryTable(summary)).to.contain('node-crash/sticky: failed: logouts = 0 (logouts was 1)');
  });

  it('keeps JUnit XML well-formed whatever a detail holds: markup escaped, control characters dropped', () => {
    const result = check([{ metric: 'logouts', equals: 0 }]);
    result.expectations = [{ name: 'a <b> & "c"', ok: false, detail: 'bell\u0007 nul\u0000 tab\t ok' }];
    const summary = summaryOf([result]);
    const xml = junitXml(summary);
    expect(xml).to.contain('name="sticky: a &lt;b&gt; &amp; &quot;c&quot;"');
    expect(xml).to.contain('<failure message="bell nul tab\t ok">');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for the characters XML forbids
    expect(xml).not.to.match(/[\u0000-\u0008]/);
  });
});
