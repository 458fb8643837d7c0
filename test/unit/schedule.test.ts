/** The fault schedule's calls in order against a stand-in cluster (a heal never comes early), and how long a
 * case may run before its deadline. */
import { join } from 'node:path';
import { expect } from 'chai';
import type { ResolvedFault } from '../../src/experiment/experiment.ts';
import { FaultLedger, readLedger } from '../../src/faults/ledger.ts';
import { FaultSchedule } from '../../src/faults/schedule.ts';
import { WorkloadClock } from '../../src/history/clock.ts';
import { caseDeadlineS, DEADLINE_ENV } from '../../src/run/case-deadline.ts';
import type { Cluster, ClusterWatch } from '../../src/runtime/runtime.ts';
import { topologyOf } from '../helpers/cluster.ts';
import { scratchDir } from '../helpers/scratch.ts';

/**
 * A stand-in for a started cluster: the order of the schedule's calls is what is tested here, and the real
 * cluster's side of each call is tested in the integration suites. Every call is logged with its time.
 */
function fakeCluster(clock: WorkloadClock, calls: string[]): Cluster {
  const running = new Set(['app-1', 'app-2', 'app-3']);
  const states = new Map<string, string>();
  const log = (what: string) => calls.push(`${(clock.now() / 1000).toFixed(1)} ${what}`);
  const watch: Partial<ClusterWatch> = {
    pid: (id) => (running.has(id) ? 100 : null),
    state: (id) => (running.has(id) ? 'running as pid 100' : 'exited with code 0'),
    backendStatus: async (id) => states.get(id) ?? 'UP',
  };
  const cluster: Partial<Cluster> = {
    topology: topologyOf('sticky', 3),
    watch: watch as ClusterWatch,
    isRunning: (id) => running.has(id),
    storePrimary: async () => null,
    setInLoadBalancer: async (id, state) => {
      log(`${id} ${state}`);
      states.set(id, state === 'ready' ? 'UP' : state.toUpperCase());
    },
    shutDown: async (id) => {
      log(`${id} shut down`);
      running.delete(id);
    },
    start: async (id) => {
      if (running.has(id)) throw new Error(`${id} is already running`);
      log(`${id} started`);
      running.add(id);
    },
  };
  return cluster as Cluster;
}

describe('the fault schedule', function () {
  this.timeout(10_000);

  it('never heals before the injection (a scale-in drains for 2 s) and the look for its effect are over', async () => {
    const clock = new WorkloadClock();
    const calls: string[] = [];
    const file = join(scratchDir('schedule'), 'faults.jsonl');
    const ledger = new FaultLedger(file);
    // Due to heal at 0.5 s, while the node still drains: the heal must wait for the injection.
    const fault: ResolvedFault = { kind: 'scale-in', target: 'app:app-2', atS: 0, durationS: 0.5 };
    const schedule = new FaultSchedule([fault], {
      cluster: fakeCluster(clock, calls),
      clock,
      ledger,
      usersPerNode: () => [],
      random: () => 0,
      onEvent: () => undefined,
    });
    schedule.start();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await schedule.healAll();
    ledger.close();
    expect(calls).to.deep.equal([
      '0.0 app-2 drain',
      '2.0 app-2 maint',
      '2.0 app-2 shut down',
      '2.0 app-2 started',
      '2.0 app-2 ready',
    ]);
    const events = readLedger(file).map((e) => e.event);
    expect(events).to.deep.equal(['inject', 'injected', 'effect', 'heal-start', 'healed']);
    const effect = readLedger(file).find((e) => e.event === 'effect');
    expect(effect).to.deep.include({
      observed: true,
      evidence: 'app-2 (pid 100) exited with code 0; HAProxy has it out of the rotation: MAINT',
    });
  });
});

describe('a case deadline', () => {
  it('is twice the workload plus 3 minutes plus per node 15 s (45 s for Tomcat), unless overridden', () => {
    const saved = process.env[DEADLINE_ENV];
    delete process.env[DEADLINE_ENV];
    try {
      expect(caseDeadlineS(30, 3, false)).to.equal(285);
      expect(caseDeadlineS(30, 3, true)).to.equal(375);
      expect(caseDeadlineS(120, 6, false)).to.equal(510);
      process.env[DEADLINE_ENV] = '8';
      expect(caseDeadlineS(30, 3, true)).to.equal(8);
    } finally {
      if (saved === undefined) delete process.env[DEADLINE_ENV];
      else process.env[DEADLINE_ENV] = saved;
    }
  });
});
