/** The server's API lock behaves as Go's RWMutex: readers together, a writer alone and not starved, and a job
 * that throws lets the next one in. */
import { expect } from 'chai';
import { RwLock } from '../../src/locks.ts';

/** A job that records its start and end, and ends when `release` is called. */
function job(log: string[], name: string) {
  let release = (): void => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    run: async () => {
      log.push(`${name}+`);
      await done;
      log.push(`${name}-`);
    },
    release: () => release(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the Toxiproxy server API locks (a Go RWMutex)', () => {
  it('runs readers together, a writer alone, and holds back readers that come after a waiting writer', async () => {
    const lock = new RwLock();
    const log: string[] = [];
    const [r1, r2, w, r3] = ['r1', 'r2', 'w', 'r3'].map((name) => job(log, name)) as [
      ReturnType<typeof job>,
      ReturnType<typeof job>,
      ReturnType<typeof job>,
      ReturnType<typeof job>,
    ];
    const all = [lock.read(r1.run), lock.read(r2.run), lock.write(w.run), lock.read(r3.run)];
    await tick();
    expect(log).to.deep.equal(['r1+', 'r2+']);
    r1.release();
    await tick();
    expect(log).to.deep.equal(['r1+', 'r2+', 'r1-']);
    r2.release();
    await tick();
    expect(log.slice(3)).to.deep.equal(['r2-', 'w+']);
    w.release();
    await tick();
    r3.release();
    await Promise.all(all);
    expect(log.slice(5)).to.deep.equal(['w-', 'r3+', 'r3-']);
  });

  it('lets the next one in when a job throws', async () => {
    const lock = new RwLock();
    const failing = lock.write(() => {
      throw new Error('no');
    });
    await failing.catch(() => undefined);
    expect(await lock.write(() => 'after')).to.equal('after');
  });
});
