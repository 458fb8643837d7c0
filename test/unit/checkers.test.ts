import { expect } from 'chai';
import { checkErrors } from '../../src/checkers/errors.ts';
import { checkHistory } from '../../src/checkers/index.ts';
import { checkLogouts } from '../../src/checkers/logout.ts';
import { checkLostWrites } from '../../src/checkers/lost-write.ts';
import { checkPartialSessions } from '../../src/checkers/partial-session.ts';
import { checkStaleReads } from '../../src/checkers/stale-read.ts';
import { add, login, noSession, op, read } from '../helpers/ops.ts';

describe('logout checker', () => {
  it('finds a logged-in user who gets no session, with the login and the last good op as witness', () => {
    const history = [login(0), read(10, []), noSession(20, { node: 'app-2' })];
    const [logout, ...rest] = checkLogouts(history);
    expect(rest).to.have.length(0);
    expect(logout?.kind).to.equal('logout');
    expect(logout?.witness.map((o) => o.op)).to.deep.equal(['login', 'read', 'read']);
    expect(logout?.message).to.contain('on app-2 found no session');
  });

  it('finds nothing when every op of the session works', () => {
    expect(checkLogouts([login(0), add(10, 'a', ['a']), read(20, ['a'])])).to.deep.equal([]);
  });

  it('ignores no-session after the user logged out on purpose', () => {
    const history = [login(0), op({ op: 'logout', start: 10 }), noSession(20)];
    expect(checkLogouts(history)).to.deep.equal([]);
  });

  it('counts one logout per epoch and tells users apart', () => {
    const history = [
      login(0),
      noSession(10),
      login(20, { epoch: 2 }),
      noSession(30, { epoch: 2 }),
      login(0, { user: 'u2' }),
      noSession(40, { user: 'u2' }),
    ];
    const found = checkLogouts(history);
    expect(found).to.have.length(3);
    expect(new Set(found.map((a) => a.user))).to.deep.equal(new Set(['u1', 'u2']));
  });

  it('does not call a timeout a logout', () => {
    const timeout = op({ op: 'read', start: 10, status: null, outcome: 'info', error: 'timeout' });
    expect(checkLogouts([login(0), timeout])).to.deep.equal([]);
  });
});

describe('stale read checker', () => {
  it('finds a read missing an item acknowledged before it started (read-your-writes)', () => {
    const history = [login(0), add(10, 'a', ['a']), read(20, [], { node: 'app-3' })];
    const [stale, ...rest] = checkStaleReads(history);
    expect(rest).to.have.length(0);
    expect(stale?.message).to.contain('missed 1 acknowledged item(s), e.g. a');
    expect(stale?.witness.map((o) => o.op)).to.deep.equal(['add', 'read']);
  });

  it('does not require a read that started before the add was acknowledged to show it', () => {
    const history = [login(0), add(10, 'a', ['a'], { end: 30 }), read(20, [])];
    expect(checkStaleReads(history)).to.deep.equal([]);
  });

  it('finds a read showing a lower version than an earlier read (monotonic reads)', () => {
    const history = [login(0), read(10, ['x', 'y']), read(20, ['x'])];
    const found = checkStaleReads(history);
    expect(found).to.have.length(1);
    expect(found[0]?.message).to.contain('showed version 1 after version 2');
  });

  it('does not compare reads across epochs (a new login starts an empty session)', () => {
    const history = [login(0), add(10, 'a', ['a']), login(20, { epoch: 2 }), read(30, [], { epoch: 2 })];
    expect(checkStaleReads(history)).to.deep.equal([]);
  });

  it('finds nothing in a consistent history', () => {
    const history = [
      login(0),
      add(10, 'a', ['a']),
      read(20, ['a']),
      add(30, 'b', ['a', 'b']),
      read(40, ['a', 'b']),
    ];
    expect(checkStaleReads(history)).to.deep.equal([]);
  });
});

describe('lost write checker', () => {
  it('finds an acknowledged item missing from the final read', () => {
    const history = [
      login(0),
      add(10, 'a', ['a']),
      add(20, 'b', ['a', 'b']),
      read(30, ['a'], { final: true }),
    ];
    const found = checkLostWrites(history);
    expect(found.map((a) => a.message)).to.deep.equal([
      'item b, acknowledged by app-1 at 25 ms, is missing from the final read on app-1',
    ]);
  });

  it('finds nothing when the final read shows every acknowledged item', () => {
    expect(checkLostWrites([login(0), add(10, 'a', ['a']), read(30, ['a'], { final: true })])).to.deep.equal(
      [],
    );
  });

  it('leaves a final read without a session to the logout checker', () => {
    expect(checkLostWrites([login(0), add(10, 'a', ['a']), noSession(30, { final: true })])).to.deep.equal(
      [],
    );
  });

  it('ignores items of earlier epochs and adds whose outcome is unknown', () => {
    const history = [
      login(0),
      add(10, 'a', ['a']),
      login(20, { epoch: 2 }),
      add(25, 'b', [], { epoch: 2, outcome: 'info', status: 502 }),
      read(30, [], { epoch: 2, final: true }),
    ];
    expect(checkLostWrites(history)).to.deep.equal([]);
  });
});

describe('partial session checker', () => {
  it('finds a session that lost its user, and one whose items and version disagree', () => {
    const history = [
      op({ op: 'read', start: 10, read: { user: null, items: ['a'], version: 1 } }),
      op({ op: 'read', start: 20, read: { user: 'u1', items: ['a'], version: 2 } }),
    ];
    const found = checkPartialSessions(history);
    expect(found.map((a) => a.message)).to.deep.equal([
      'read at 10 ms on app-1 showed a partial session: user is null',
      'read at 20 ms on app-1 showed a partial session: 1 item(s) but version 2',
    ]);
  });

  it('finds nothing in whole sessions', () => {
    expect(checkPartialSessions([login(0), add(10, 'a', ['a'])])).to.deep.equal([]);
  });
});

describe('error checker', () => {
  it('finds 5xx and missing responses but not logouts', () => {
    const history = [
      op({ op: 'add', start: 1, status: 502, outcome: 'info', node: null }),
      op({ op: 'read', start: 2, status: null, outcome: 'info', node: null, error: 'ECONNREFUSED' }),
      noSession(3),
      read(4, []),
    ];
    expect(checkErrors(history).map((a) => a.message)).to.deep.equal([
      'add at 1 ms got 502',
      'read at 2 ms got no response: ECONNREFUSED',
    ]);
  });
});

describe('checkHistory', () => {
  it('names a crashing checker instead of crashing', () => {
    const broken = {
      name: 'broken',
      check: () => {
        throw new Error('boom');
      },
    };
    const findings = checkHistory([login(0)], [broken]);
    expect(findings.checkerErrors).to.deep.equal([{ checker: 'broken', message: 'boom' }]);
  });
});
