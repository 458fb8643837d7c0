/** What an experiment file declares: typed data only (see experiments/*.experiment.ts). */
export const STRATEGIES = ['none', 'sticky', 'redis'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const FAULT_KINDS = ['kill-node'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const PROFILES = ['quick', 'full'] as const;
export type ProfileName = (typeof PROFILES)[number];

export const METRICS = [
  'logouts',
  'loggedOutUsers',
  'staleReads',
  'lostWrites',
  'partialSessions',
  'errors',
  'ops',
  'users',
] as const;
export type MetricName = (typeof METRICS)[number];

export const CHECKS = ['logouts-only-among-users-of-faulted-nodes'] as const;
export type CheckName = (typeof CHECKS)[number];

/** Seconds from the start of the workload, or a share of the workload's duration such as "33%". */
export type TimeSpec = number | `${number}%`;

export interface FaultDefinition {
  kind: FaultKind;
  /** A role and a choice: `app:any`, `app:busiest` (most users pinned), or a node id such as `app:app-2`. */
  target: string;
  at: TimeSpec;
  /** How long the fault lasts before it is healed. */
  duration: TimeSpec;
}

export type ExpectationDefinition =
  | { metric: MetricName; equals: number }
  | { metric: MetricName; atLeast: number }
  | { metric: MetricName; atMost: number }
  | { check: CheckName };

export interface WorkloadDefinition {
  browserUsers: number;
  httpUsers: number;
  /** Pause between a user's operations, in ms (each pause is jittered ±50 %). */
  thinkMs?: number;
}

export interface ProfileDefinition extends Partial<WorkloadDefinition> {
  durationS: number;
}

export interface ExperimentDefinition {
  name: string;
  description: string;
  strategies: StrategyName[];
  cluster?: { appNodes?: number };
  workload: WorkloadDefinition;
  profiles: Record<ProfileName, ProfileDefinition>;
  faults: FaultDefinition[];
  expectations: Partial<Record<StrategyName, ExpectationDefinition[]>>;
}

/** Identity, for type checking and editor help in experiment files. */
export function defineExperiment(definition: ExperimentDefinition): ExperimentDefinition {
  return definition;
}
