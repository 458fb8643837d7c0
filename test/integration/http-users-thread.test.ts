/** HTTP users in a worker thread of their own against a real redis cluster: their ops are timed on the
 * runner's clock, and the thread's event-loop lag is measured. */
import { expect } from 'chai';
import { WorkloadClock } from '../../src/history/clock.ts';
import type { Op } from '../../src/model/op.ts';
import { WorkloadRun } from '../../src/workload/workload.ts';
import { withCluster } from '../helpers/cluster.ts';

describe('HTTP users in a thread of their own', function () {
  this.timeout(60_000);

  it("record every op on the runner's clock, and measure their thread's event-loop lag", () =>
    withCluster(
      'redis',
      async (cluster) => {
        const ops: Op[] = [];
        const clock = new WorkloadClock();
        const users = new WorkloadRun({
          workload: { browserUsers: 0, httpUsers: 3, thinkMs: 50, durationS: 2 },
          clock,
          seed: 1,
          record: (op) => ops.push(op),
          signal: new AbortController().signal,
          launchBrowser: () => Promise.reject(new Error('no browser users here')),
        });
        try {
          await users.open(cluster.lbUrl);
          clock.reset();
          await users.run();
          const ranFor = clock.now();
          await users.finalReads();
          expect(new Set(ops.map((op) => op.user))).to.deep.equal(new Set(['h01', 'h02', 'h03']));
          const during = ops.filter((op) => !op.final);
          expect(during.length).to.be.above(10);
          for (const op of during) {
            expect(op.start, 'times on the same clock as the runner').to.be.within(0, ranFor);
            expect(op.end).to.be.at.least(op.start);
          }
          // A healthy cluster shows each user its whole cart at once: no second look.
          expect(ops.filter((op) => op.final && op.outcome === 'ok').length).to.equal(3);
          expect(users.httpUsersLag?.p99).to.be.a('number');
        } finally {
          await users.close();
        }
      },
      { appNodes: 1 },
    ));
});
