import type { ExpectationDefinition, FaultKind, ProfileName, StrategyName } from './definition.ts';

/** A validated experiment for one profile: every time in seconds, every default filled in. */
export interface ResolvedFault {
  kind: FaultKind;
  target: string;
  atS: number;
  durationS: number;
  latencyMs?: number;
  jitterMs?: number;
}

export interface Workload {
  browserUsers: number;
  httpUsers: number;
  thinkMs: number;
  durationS: number;
}

export interface Experiment {
  name: string;
  description: string;
  /** Where it was defined, for messages. */
  source: string;
  profile: ProfileName;
  strategies: StrategyName[];
  appNodes: number;
  workload: Workload;
  faults: ResolvedFault[];
  expectations: Partial<Record<StrategyName, ExpectationDefinition[]>>;
}
