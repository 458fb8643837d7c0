/** Session memory: which final reads miss the session's acknowledged adds or items it showed, and so need
 * a second look. */
import { expect } from 'chai';
import type { Op } from '../../src/model/op.ts';
import { SessionMemory } from '../../src/workload/session-memory.ts';
import { add, login, noSession, op, read } from '../helpers/ops.ts';

const remembering = (ops: Op[]): SessionMemory => {
  const memory = new SessionMemory();
  for (const o of ops) memory.note(o);
  return memory;
};

describe('session memory (whether a final read needs a second look)', () => {
  const worked = [login(0), add(10, 'a', ['a']), add(20, 'b', ['a', 'b']), read(30, ['a', 'b'])];

  it('a view showing every acknowledged add of the session needs none', () => {
    expect(remembering(worked).showsAll(read(40, ['a', 'b']))).to.equal(true);
    expect(remembering(worked).showsAll(read(40, ['b', 'a', 'x']))).to.equal(true);
  });

  it('a view missing an acknowledged add, or an item a view showed, needs one', () => {
    expect(remembering(worked).showsAll(read(40, ['a']))).to.equal(false);
    const seen = [login(0), op({ op: 'add', start: 10, outcome: 'info', wrote: 'a' }), read(20, ['a'])];
    expect(remembering(seen).showsAll(read(30, []))).to.equal(false);
  });

  it('an add of unknown outcome that no view showed is not expected', () => {
    const unknown = [login(0), op({ op: 'add', start: 10, outcome: 'info', wrote: 'a' })];
    expect(remembering(unknown).showsAll(read(30, []))).to.equal(true);
  });

  it('no session, an error, no answer or another epoch is not a complete view', () => {
    const memory = remembering(worked);
    expect(memory.showsAll(noSession(40))).to.equal(false);
    expect(memory.showsAll(read(40, ['a', 'b'], { outcome: 'info', status: 504 }))).to.equal(false);
    expect(memory.showsAll(undefined)).to.equal(false);
    expect(memory.showsAll(read(40, ['a', 'b'], { epoch: 2 }))).to.equal(false);
  });

  it('a new login starts a new session: the old one is forgotten', () => {
    const memory = remembering([...worked, login(50, { epoch: 2 })]);
    expect(memory.showsAll(read(60, [], { epoch: 2 }))).to.equal(true);
  });
});
