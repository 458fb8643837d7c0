/** An experiment's faults for `up --faults`, on a cluster someone else drives (a person, a load tool). */
import type { Experiment } from '../experiment/experiment.ts';
import { loadExperiment } from '../experiment/load.ts';
import { FaultLedger } from '../faults/ledger.ts';
import { FaultSchedule } from '../faults/schedule.ts';
import { WorkloadClock } from '../history/clock.ts';
import type { Cluster } from '../runtime/runtime.ts';
import { type Strategy, selectStrategies } from '../strategies/strategies.ts';
import { seededRandom } from '../workload/random.ts';
import { UsageError } from './args.ts';

/** `up --faults EXPERIMENT`: its quick profile's faults, for a strategy that experiment runs. */
export async function faultsFor(
  name: string | undefined,
  strategy: Strategy,
): Promise<Experiment | undefined> {
  if (name === undefined) return undefined;
  const experiment = await loadExperiment(name, 'quick');
  if (selectStrategies(experiment.strategies, [strategy.name]).length === 0)
    throw new UsageError(
      `--faults ${name}: it does not run ${strategy.name} (its faults were checked only against ${experiment.strategies.join(', ')})`,
    );
  if (experiment.faults.length === 0) throw new UsageError(`--faults ${name}: the experiment has no faults`);
  return experiment;
}

/**
 * Runs an experiment's fault schedule against a cluster someone else drives (k6, a person): the faults
 * fire at their times from now, each written to the ledger and printed; the caller heals what is left.
 * Without users of our own nothing is known of who is pinned where, so `app:busiest` is the first node.
 */
export function startFaults(experiment: Experiment, cluster: Cluster, ledgerFile: string): FaultSchedule {
  const clock = new WorkloadClock();
  const schedule = new FaultSchedule(experiment.faults, {
    cluster,
    clock,
    ledger: new FaultLedger(ledgerFile),
    usersPerNode: (nodes) => nodes.map((node) => [node, 0]),
    random: seededRandom(1),
    onEvent: (message) => process.stderr.write(`⚡ ${message} at ${(clock.now() / 1000).toFixed(1)} s\n`),
  });
  schedule.start();
  return schedule;
}
