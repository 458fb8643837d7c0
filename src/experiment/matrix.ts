/** Which experiments a run runs: the ones named, or the quick matrix of every strategy's core faults. */
import type { ProfileName } from './definition.ts';
import type { Experiment } from './experiment.ts';
import { loadExperiment } from './load.ts';

/**
 * The quick matrix: what `session-chaos run` runs when no experiment is named (so `npm run chaos`). Every
 * strategy against its core faults: its app nodes dying (node-crash) and, where it keeps sessions in a
 * store, that store dying (store-crash), failing over (failover) or falling behind (replica-lag); and, with
 * no fault, users' own parallel tabs overwriting each other's changes (parallel-tabs). A new strategy joins
 * by being in one of these (test/unit/experiment.test.ts holds every strategy to it).
 */
export const QUICK_MATRIX = [
  'node-crash',
  'store-crash',
  'failover',
  'replica-lag',
  'parallel-tabs',
] as const;

/** The named experiments, or the quick matrix (those of its experiments that have the profile: smoke is optional). */
export async function experimentsToRun(names: string[], profile: ProfileName): Promise<Experiment[]> {
  if (names.length > 0) return Promise.all(names.map((name) => loadExperiment(name, profile)));
  const matrix = await Promise.all(QUICK_MATRIX.map((name) => loadExperiment(name, 'quick')));
  const withProfile = matrix.filter((e) => e.profiles.includes(profile)).map((e) => e.name);
  return Promise.all(withProfile.map((name) => loadExperiment(name, profile)));
}
