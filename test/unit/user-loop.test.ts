/** A user working in parallel lanes (tabs): requests kept in flight, every lane stopped on "no session"
 * before logging in again, and the same ops drawn from the same seed. */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { Workload } from '../../src/experiment/experiment.ts';
import { WorkloadClock } from '../../src/history/clock.ts';
import { NO_SESSION, type Op, type OpKind } from '../../src/model/op.ts';
import type { SessionClient } from '../../src/workload/session-client.ts';
import { runUser } from '../../src/workload/user-loop.ts';

/** A user whose app answers each request after `ms`, and says "no session" to the `goneAt`-th request. */
class FakeUser implements SessionClient {
  readonly user = 'u1';
  epoch = 0;
  requests = 0;
  tabs = 0;

  constructor(
    readonly clock: WorkloadClock,
    readonly goneAt = Number.POSITIVE_INFINITY,
    readonly ms = 15,
  ) {}

  async #op(op: OpKind, wrote?: string): Promise<Op[]> {
    const start = this.clock.now();
    const epoch = this.epoch;
    this.requests += 1;
    const gone = this.requests === this.goneAt;
    await sleep(this.ms);
    const base = {
      user: this.user,
      client: 'http' as const,
      op,
      start,
      end: this.clock.now(),
      node: 'app-1',
      epoch,
    };
    if (gone) return [{ ...base, status: 401, outcome: 'fail', error: NO_SESSION }];
    return [{ ...base, status: 200, outcome: 'ok', ...(wrote ? { wrote } : {}) }];
  }

  login = async (): Promise<Op[]> => {
    this.epoch += 1;
    return this.#op('login');
  };
  add = (item: string) => this.#op('add', item);
  read = () => this.#op('read');
  tab = async (): Promise<SessionClient> => {
    this.tabs += 1;
    return this;
  };
  close = async () => undefined;
}

const WORKLOAD: Workload = { browserUsers: 0, httpUsers: 1, thinkMs: 5, durationS: 1 };

async function run(user: FakeUser, lanes: number, deadlineMs = 400): Promise<Op[]> {
  const ops: Op[] = [];
  const context = {
    clock: user.clock,
    signal: new AbortController().signal,
    workload: WORKLOAD,
    record: (op: Op) => ops.push(op),
  };
  await runUser(user, { seed: 7, arrivesMs: 0 }, deadlineMs, context, lanes);
  return ops;
}

const overlapping = (ops: Op[]): number =>
  ops.filter((a, i) => ops.some((b, j) => i !== j && a.start < b.end && b.start < a.end)).length;

describe('a user in parallel (tabs, parallel requests)', () => {
  it('keeps `lanes` requests of its session in flight, each item new', async () => {
    const user = new FakeUser(new WorkloadClock());
    const ops = await run(user, 3);
    expect(user.tabs, 'two more lanes than the first').to.equal(2);
    const work = ops.filter((op) => op.op !== 'login');
    expect(overlapping(work)).to.be.above(work.length / 2);
    const items = work.flatMap((op) => (op.wrote ? [op.wrote] : []));
    expect(new Set(items).size).to.equal(items.length);
    expect(overlapping(await run(new FakeUser(new WorkloadClock()), 1)), 'one lane: one at a time').to.equal(
      0,
    );
  });

  it('after "no session" every lane stops, and it logs in again only when their requests are over', async () => {
    const user = new FakeUser(new WorkloadClock(), 6);
    const ops = await run(user, 3);
    const relogin = ops.find((op) => op.op === 'login' && op.epoch === 2);
    expect(relogin, 'it logged in again').to.not.equal(undefined);
    const before = ops.filter((op) => op.epoch === 1);
    expect(Math.max(...before.map((op) => op.end))).to.be.at.most(relogin?.start ?? 0);
    expect(ops.filter((op) => op.epoch === 1 && op.error === NO_SESSION)).to.have.length(1);
  });

  it('one lane draws the same ops from the same seed', async () => {
    const kinds = async () => (await run(new FakeUser(new WorkloadClock()), 1, 200)).map((op) => op.op);
    const [a, b] = [await kinds(), await kinds()];
    expect(a.slice(0, 6)).to.deep.equal(b.slice(0, 6));
  });
});
