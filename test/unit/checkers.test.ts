/** The history checkers: logouts, session-guarantee violations (stale reads), lost writes and lost updates,
 * partial sessions, errors, and the share of requests a scaled-out node took. */
import { expect } from 'chai';
import type { Checker } from '../../src/checkers/checker.ts';
import { errorChecker } from '../../src/checkers/errors.ts';
import { logoutChecker } from '../../src/checkers/logout.ts';
import { addedNodeShare } from '../../src/checkers/metrics.ts';
import { partialSessionChecker } from '../../src/checkers/partial-session.ts';
import { SessionGuaranteesChecker } from '../../src/checkers/session-guarantees.ts';
import type { Anomaly } from '../../src/model/anomaly.ts';
import type { FaultRecord } from '../../src/model/fault.ts';
import type { Op } from '../../src/model/op.ts';
import { add, login, noSession, op, read } from '../helpers/ops.ts';

function run(checker: Checker, history: Op[]): Anomaly[] {
  for (const o of history) checker.add(o);
  return checker.finish();
}

const logouts = (history: Op[]) => run(logoutChecker(), history);
const guarantees = (history: Op[]) => run(new SessionGuaranteesChecker(), history);
const kinds = (found: Anomaly[]) => found.map((a) => a.guarantee ?? a.kind);
const final = (start: number, items: string[], extra: Partial<Op> = {}) =>
  read(start, items, { final: true, ...extra });

describe('logout checker', () => {
  it('finds a logged-in user who gets no session, with the login and the last good op as witness', () => {
    const [logout, ...rest] = logouts([login(0), read(10, []), noSession(20, { node: 'app-2' })]);
    expect(rest).to.have.length(0);
    expect(logout?.kind).to.equal('logout');
    expect(logout?.witness.map((o) => o.op)).to.deep.equal(['login', 'read', 'read']);
    expect(logout?.message).to.contain('on app-2 found no session');
  });

  it('finds nothing when every op of the session works', () => {
    expect(logouts([login(0), add(10, 'a', ['a']), read(20, ['a'])])).to.deep.equal([]);
  });

  it('ignores no-session after the user logged out on purpose', () => {
    expect(logouts([login(0), op({ op: 'logout', start: 10 }), noSession(20)])).to.deep.equal([]);
  });

  it('counts one logout per epoch and tells users apart', () => {
    const found = logouts([
      login(0),
      noSession(10),
      noSession(15),
      login(20, { epoch: 2 }),
      noSession(30, { epoch: 2 }),
      login(0, { user: 'u2' }),
      noSession(40, { user: 'u2' }),
    ]);
    expect(found.map((a) => [a.user, a.witness.at(-1)?.epoch])).to.deep.equal([
      ['u1', 1],
      ['u1', 2],
      ['u2', 1],
    ]);
  });

  it('does not call a timeout a logout', () => {
    const timeout = op({ op: 'read', start: 10, status: null, outcome: 'info', error: 'timeout' });
    expect(logouts([login(0), timeout])).to.deep.equal([]);
  });
});

describe('session guarantees (Terry et al. 1994) and lost writes', () => {
  it('read-your-writes: a view missing an acknowledged write that a later view shows again', () => {
    const found = guarantees([
      login(0),
      add(10, 'a', ['a']),
      read(20, [], { node: 'app-3' }),
      final(30, ['a']),
    ]);
    expect(kinds(found)).to.deep.equal(['read-your-writes']);
    expect(found[0]?.kind).to.equal('stale-read');
    expect(found[0]?.stalenessMs).to.equal(5);
    expect(found[0]?.witness.map((o) => [o.op, o.start])).to.deep.equal([
      ['add', 10],
      ['read', 20],
      ['read', 30],
    ]);
    expect(guarantees([login(0), add(10, 'a', ['a']), read(20, ['a']), final(30, ['a'])])).to.deep.equal([]);
  });

  it('does not require a view that started before the write was acknowledged to show it', () => {
    expect(
      guarantees([login(0), add(10, 'a', ['a'], { end: 30 }), read(20, []), final(40, ['a'])]),
    ).to.deep.equal([]);
  });

  it('monotonic writes: a view showing a later acknowledged write but not an earlier one', () => {
    const history = [login(0), add(10, 'a', ['a']), add(20, 'b', ['b']), final(30, ['a', 'b'])];
    expect(kinds(guarantees(history))).to.deep.equal(['monotonic-writes']);
    const inOrder = [login(0), add(10, 'a', ['a']), add(20, 'b', ['a', 'b']), final(30, ['a', 'b'])];
    expect(guarantees(inOrder)).to.deep.equal([]);
  });

  it('monotonic reads: a view missing a write of unknown outcome that an earlier view had shown', () => {
    const unknown = add(10, 'a', [], { outcome: 'info', status: 502, read: undefined });
    const history = [login(0), unknown, read(20, ['a']), read(30, []), final(40, ['a'])];
    expect(kinds(guarantees(history))).to.deep.equal(['monotonic-reads']);
    expect(guarantees([login(0), unknown, read(20, ['a']), read(30, ['a']), final(40, ['a'])])).to.deep.equal(
      [],
    );
  });

  it('writes-follow-reads: a write issued after reading a write, applied to a state without it', () => {
    const unknown = add(10, 'a', [], { outcome: 'info', status: 502, read: undefined });
    const history = [login(0), unknown, read(20, ['a']), add(30, 'b', ['b']), final(40, ['a', 'b'])];
    expect(kinds(guarantees(history))).to.deep.equal(['writes-follow-reads']);
    const followed = [login(0), unknown, read(20, ['a']), add(30, 'b', ['a', 'b']), final(40, ['a', 'b'])];
    expect(guarantees(followed)).to.deep.equal([]);
  });

  it('an unknown write may appear or never appear without an anomaly', () => {
    const unknown = add(10, 'a', [], { outcome: 'info', status: null, read: undefined, error: 'timeout' });
    expect(guarantees([login(0), unknown, read(20, []), final(30, ['a'])])).to.deep.equal([]);
    expect(guarantees([login(0), unknown, read(20, []), final(30, [])])).to.deep.equal([]);
  });

  it('one cause, one count: a write no later view shows is one lost write, not also stale reads', () => {
    const history = [login(0), add(10, 'a', ['a']), read(20, []), read(30, []), read(40, []), final(50, [])];
    const found = guarantees(history);
    expect(kinds(found)).to.deep.equal(['lost-write']);
    expect(found[0]?.message).to.contain('missing from the last 4 view(s) of its session, never shown again');
  });

  it('a lost write overlapping a later-saved write of its session is a lost update, with both requests and the view', () => {
    // Two tabs: a (10–30) and b (15–40) in flight together; b's save, after a's, kept b and not a.
    const a = add(10, 'a', ['a'], { end: 30 });
    const b = add(15, 'b', ['b'], { end: 40 });
    const history = [login(0), a, b, read(50, ['b']), final(60, ['b'])];
    const found = guarantees(history);
    expect(kinds(found)).to.deep.equal(['lost-update']);
    expect(found[0]?.witness).to.deep.equal([a, b, history[4]]);
    expect(found[0]?.message).to.contain("the same session's add of b, in flight at the same time (15–40 ms");
  });

  it('not a lost update: writes that did not overlap, one saved after seeing the other, or both lost', () => {
    const apart = [login(0), add(10, 'a', ['a']), add(20, 'b', ['b']), final(60, ['b'])];
    expect(kinds(guarantees(apart)), 'one after the other: a fault lost it').to.deep.equal(['lost-write']);
    const earlier = [
      login(0),
      add(15, 'a', ['b', 'a'], { end: 40 }),
      add(10, 'b', ['b'], { end: 30 }),
      final(60, ['b']),
    ];
    expect(kinds(guarantees(earlier)), 'the kept write was saved first: a saw it').to.deep.equal([
      'lost-write',
    ]);
    const crossed = [
      login(0),
      add(15, 'a', ['a'], { end: 40 }),
      add(10, 'b', ['b'], { end: 30 }),
      final(60, ['b']),
    ];
    expect(kinds(guarantees(crossed)), "answers crossed: b's save came last").to.deep.equal(['lost-update']);
    const both = [
      login(0),
      add(10, 'a', ['a'], { end: 30 }),
      add(15, 'b', ['a', 'b'], { end: 40 }),
      final(60, []),
    ];
    expect(kinds(guarantees(both)), 'both lost: no later save kept').to.deep.equal([
      'lost-write',
      'lost-write',
    ]);
  });

  it('an add another tab saw before its acknowledgement is still acknowledged: losing it is a lost write', () => {
    // The read (20–30) shows a before the add (10–40) is acknowledged, and ends first in the history.
    const history = [login(0), read(20, ['a'], { end: 30 }), add(10, 'a', ['a'], { end: 40 })];
    expect(kinds(guarantees([...history, read(50, []), final(60, [])]))).to.deep.equal(['lost-write']);
    expect(guarantees([...history, read(50, ['a']), final(60, ['a'])])).to.deep.equal([]);
  });

  it('counts a lost write in an epoch that ended in a logout too', () => {
    const history = [
      login(0),
      add(10, 'a', ['a']),
      read(20, []),
      noSession(30),
      login(40, { epoch: 2 }),
      final(50, [], { epoch: 2 }),
    ];
    expect(kinds(guarantees(history))).to.deep.equal(['lost-write']);
  });

  it('a momentarily stale final read is a stale read when the second final read shows the write', () => {
    const checker = new SessionGuaranteesChecker();
    const found = run(checker, [login(0), add(10, 'a', ['a']), final(20, []), final(1020, ['a'])]);
    expect(kinds(found)).to.deep.equal(['read-your-writes']);
    expect(checker.staleWrites).to.equal(1);
  });

  it('leaves a write no view looked at undecided, and counts users whose final reads all failed', () => {
    const failed = op({
      op: 'read',
      start: 20,
      status: null,
      outcome: 'info',
      error: 'timeout',
      final: true,
    });
    const checker = new SessionGuaranteesChecker();
    expect(run(checker, [login(0), add(10, 'a', ['a'], { read: undefined }), failed])).to.deep.equal([]);
    expect([checker.undecidedUsers, checker.undecidedWrites]).to.deep.equal([1, 1]);
    const settled = new SessionGuaranteesChecker();
    run(settled, [login(0), add(10, 'a', ['a']), final(20, ['a'])]);
    expect(settled.undecidedUsers).to.equal(0);
  });

  it('a write only a failed final read could have decided is undecided, never lost', () => {
    const failedRead = (start: number, epoch = 1) =>
      op({ op: 'read', start, status: null, outcome: 'info', error: 'timeout', final: true, epoch });
    // The first final view misses `a`; the second look, which would tell stale from lost, never answers.
    const checker = new SessionGuaranteesChecker();
    const found = run(checker, [login(0), add(10, 'a', ['a']), final(20, []), failedRead(1020)]);
    expect(found).to.deep.equal([]);
    expect([checker.undecidedUsers, checker.undecidedWrites]).to.deep.equal([1, 1]);
    // A view during the workload missed it, and every final read failed: undecided too.
    const midRun = new SessionGuaranteesChecker();
    expect(run(midRun, [login(0), add(10, 'a', ['a']), read(20, []), failedRead(30)])).to.deep.equal([]);
    expect(midRun.undecidedWrites).to.equal(1);
    // The same history whose second look answers without `a`: lost, decided.
    const decided = new SessionGuaranteesChecker();
    expect(
      kinds(run(decided, [login(0), add(10, 'a', ['a']), final(20, []), final(1020, [])])),
    ).to.deep.equal(['lost-write']);
    expect([decided.undecidedUsers, decided.undecidedWrites]).to.deep.equal([0, 0]);
    // An earlier epoch ended by a logout is decided whatever the final reads: its lost write stays lost.
    const earlier = new SessionGuaranteesChecker();
    const history = [
      login(0),
      add(10, 'a', ['a']),
      read(20, []),
      noSession(30),
      login(40, { epoch: 2 }),
      failedRead(50, 2),
    ];
    expect(kinds(run(earlier, history))).to.deep.equal(['lost-write']);
    expect(earlier.undecidedWrites).to.equal(0);
  });

  it('does not compare views across epochs (a new login starts an empty session)', () => {
    const history = [
      login(0),
      add(10, 'a', ['a']),
      read(15, ['a']),
      login(20, { epoch: 2 }),
      final(30, [], { epoch: 2 }),
    ];
    expect(guarantees(history)).to.deep.equal([]);
  });

  it('names each stale view once, by the strongest guarantee it broke, and counts distinct stale writes', () => {
    const history = [
      login(0),
      add(10, 'a', ['a']),
      add(20, 'b', ['a', 'b']),
      add(30, 'c', ['c']), // misses a and b: monotonic writes, one anomaly
      read(40, ['a', 'b', 'c']),
      final(50, ['a', 'b', 'c']),
    ];
    const checker = new SessionGuaranteesChecker();
    expect(kinds(run(checker, history))).to.deep.equal(['monotonic-writes']);
    expect(checker.staleWrites).to.equal(2);
  });
});

describe('partial session and error checkers', () => {
  it('finds a session that lost its user, and one whose items and version disagree', () => {
    const noUser = read(10, ['a'], { read: { user: null, items: ['a'], version: 1 } });
    const mismatch = read(20, ['a'], { read: { user: 'u1', items: ['a'], version: 3 } });
    const found = run(partialSessionChecker(), [noUser, mismatch, read(30, ['a'])]);
    expect(found.map((a) => a.message)).to.deep.equal([
      'read at 10 ms on app-1 showed a partial session: user is null',
      'read at 20 ms on app-1 showed a partial session: 1 item(s) but version 3',
    ]);
  });

  it('finds 5xx and missing responses but not logouts', () => {
    const history = [
      op({ op: 'read', start: 1, status: 502, outcome: 'info', node: null }),
      op({ op: 'add', start: 2, status: null, outcome: 'info', error: 'ECONNRESET' }),
      noSession(3),
      read(4, []),
    ];
    expect(run(errorChecker(), history).map((a) => a.message)).to.deep.equal([
      'read at 1 ms got 502',
      'add at 2 ms got no response from app-1: ECONNRESET',
    ]);
  });
});

describe('addedNodeShare', () => {
  const timeline = {
    bucketS: 1,
    nodes: { 'app-1': [4, 4, 3, 3, 3], 'app-2': [4, 4, 3, 3, 3], 'app-3': [0, 0, 1, 2, 3] },
    logouts: [],
    errors: [],
  };
  const scaleOut = (status: FaultRecord['status']): FaultRecord => ({
    kind: 'scale-out',
    target: 'app-3',
    at: 1.5,
    healedAt: 1.5,
    status,
  });

  it('is the added node’s share of requests from the second after it joined to the end', () => {
    // Seconds 2–4: app-3 served 1 + 2 + 3 of 7 + 8 + 9 requests.
    expect(addedNodeShare(timeline, [scaleOut('healed')], 5)).to.equal(0.25);
  });

  it('is not measured when no scale-out acted', () => {
    expect(addedNodeShare(timeline, [scaleOut('not-applied')], 5)).to.equal(null);
    expect(addedNodeShare(timeline, [], 5)).to.equal(null);
  });
});
