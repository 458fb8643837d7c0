/** Expectations: what an experiment claims of a strategy (a bound on a metric, or a check), and verdicts. */
import type { AnomalyKind } from './anomaly.ts';

/** What an experiment claims per strategy, and what became of each claim. */
export const METRICS = [
  'logouts',
  'loggedOutUsers',
  'loggedOutShare',
  'staleReads',
  'staleWrites',
  'monotonicWrites',
  'writesFollowReads',
  'lostWrites',
  'lostUpdates',
  'lostUpdatesPer1000Writes',
  'undecidedUsers',
  'undecidedWrites',
  'partialSessions',
  'errors',
  'ops',
  'users',
  'p50Ms',
  'p99Ms',
  'p50RiseMs',
  'recoveryS',
  'outageS',
  'addedNodeShare',
  'imbalance',
] as const;
export type MetricName = (typeof METRICS)[number];

export const CHECKS = ['logouts-only-among-users-of-faulted-nodes', 'anomalies-only-during-faults'] as const;
export type CheckName = (typeof CHECKS)[number];

export type ExpectationDefinition =
  | { metric: MetricName; equals: number }
  | { metric: MetricName; atLeast: number }
  | { metric: MetricName; atMost: number }
  | { check: CheckName; graceS?: number; kinds?: AnomalyKind[] };

export type Verdict = 'pass' | 'fail' | 'unknown';

export interface ExpectationResult {
  name: string;
  /** null when it could not be decided (e.g. a checker crashed). */
  ok: boolean | null;
  detail: string;
}
