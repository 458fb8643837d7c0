import type { Anomaly } from './anomaly.ts';
import type { ExpectationDefinition, ExpectationResult, Verdict } from './expectation.ts';
import type { FaultRecord } from './fault.ts';

/** Everything saved about one experiment × strategy × repeat (`case.json`); enough to rebuild its result. */
export interface CaseRecord {
  experiment: string;
  strategy: string;
  repeat: number;
  durationS: number;
  nodes: string[];
  expectations: ExpectationDefinition[];
  /** The case's folder, relative to the run folder. */
  dir: string;
  startedAt: string;
  /** Set when the case could not run to the end (e.g. the cluster did not start). */
  error?: string;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Requests per second, per node, in fixed buckets from the start of the workload. */
export interface Timeline {
  bucketS: number;
  nodes: Record<string, number[]>;
  /** Logout events per bucket, all nodes together. */
  logouts: number[];
  /** Error (5xx, refused, timeout) events per bucket. */
  errors: number[];
}

/** A checker that crashed: what it would have found is unknown. */
export interface CheckerError {
  checker: string;
  message: string;
}

/** One case, checked: what `summary.json` holds per case and every report is drawn from. */
export interface CaseResult {
  experiment: string;
  strategy: string;
  repeat: number;
  verdict: Verdict;
  ops: number;
  users: number;
  logouts: number;
  loggedOutUsers: number;
  staleReads: number;
  lostWrites: number;
  partialSessions: number;
  errors: number;
  requestsByNode: Record<string, number>;
  /** max / mean of requestsByNode; 1 is perfectly even. */
  imbalance: number;
  latency: LatencySummary;
  /** Latency of ops that started before the first fault, during faults, and after the last heal. */
  latencyByPhase: { before: LatencySummary; during: LatencySummary; after: LatencySummary };
  faults: FaultRecord[];
  expectations: ExpectationResult[];
  /** The first few anomalies of each kind; the case folder's anomalies.jsonl has them all. */
  anomalies: Anomaly[];
  timeline: Timeline;
  /** Workload length in seconds. */
  durationS: number;
  /** Path of this case's folder, relative to the run folder. */
  dir: string;
  checkerErrors: CheckerError[];
}
