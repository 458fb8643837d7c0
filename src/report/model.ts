import type { Op } from '../history/op.ts';

/** The plain data every report (summary.json, junit.xml, index.html, the terminal table) is built from. */
export type Verdict = 'pass' | 'fail' | 'unknown';
export type AnomalyKind = 'logout' | 'stale-read' | 'lost-write' | 'partial-session' | 'error';

export interface Anomaly {
  kind: AnomalyKind;
  user: string;
  /** Milliseconds since the start of the workload: when the anomaly was observed. */
  at: number;
  /** One sentence a person can read, e.g. "read missed item u3-7 acknowledged at 1203 ms". */
  message: string;
  /** The minimal set of ops that prove it, in time order. */
  witness: Op[];
}

export interface FaultRecord {
  kind: string;
  target: string;
  /** Seconds since the start of the workload. */
  at: number;
  healedAt: number | null;
  detail?: string;
  /** Seconds from the fault to the first failed op (error or no session) that started while it was active. */
  firstFailureAfterS?: number | null;
  /** Seconds from the heal until the last failed op that started after it had ended; 0: recovered at once. */
  recoveredAfterS?: number | null;
}

export interface ExpectationResult {
  name: string;
  /** null when it could not be decided (e.g. a checker crashed). */
  ok: boolean | null;
  detail: string;
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
  anomalies: Anomaly[];
  timeline: Timeline;
  /** Workload length in seconds. */
  durationS: number;
  /** Path of this case's folder, relative to the run folder. */
  dir: string;
  /** Names of checkers that crashed, with their message; their findings are unknown. */
  checkerErrors: string[];
}

export interface Summary {
  schema: 1;
  runtime: string;
  startedAt: string;
  finishedAt: string;
  results: CaseResult[];
}
