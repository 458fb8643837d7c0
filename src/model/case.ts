/** A case (experiment × strategy × repeat) as saved and as checked: record, timing, cost, metrics, result. */
import type { Anomaly, AnomalyKind } from './anomaly.ts';
import type { ExpectationDefinition, ExpectationResult, Verdict } from './expectation.ts';
import type { FaultRecord, PlannedFault } from './fault.ts';
import type { Outcome } from './op.ts';

/** Everything saved about one experiment × strategy × repeat (`case.json`); enough to rebuild its result. */
export interface CaseRecord {
  experiment: string;
  strategy: string;
  repeat: number;
  seed?: number;
  /** Set when the experiment compares cluster sizes: this case's size. */
  appNodes?: number;
  durationS: number;
  nodes: string[];
  expectations: ExpectationDefinition[];
  /**
   * The faults it planned: one that never fired, or fired after the workload ended, leaves the case
   * undecided (absent in case folders from before it was recorded).
   */
  plannedFaults?: PlannedFault[];
  /** The case's folder, relative to the run folder. */
  dir: string;
  startedAt: string;
  /**
   * Set only at the very end, after the cluster stopped and every file was closed: a case without it was cut
   * short (the runner was killed), and nothing in it can pass.
   */
  completed?: boolean;
  /** Set when the case could not run to the end (e.g. the cluster did not start). */
  error?: string;
  /** What a reader must know about how this strategy was measured (from the strategy table). */
  note?: string;
  /**
   * A user gives up on a request after `clientMs`; the load balancer gives up on the node after at most
   * `loadBalancerMs`. clientMs > loadBalancerMs, so a user's next request never overlaps its last one.
   */
  timeouts?: { clientMs: number; loadBalancerMs: number };
  /** Where the case's time went (written when it ends). */
  timing?: CaseTiming;
}

/** The phases of a case, in order. */
/** Lost updates per 1,000 acknowledged writes: they grow with the writes users make in parallel. */
export const perThousandWrites = (count: number, writes: number): number =>
  writes > 0 ? (count * 1000) / writes : 0;

export const CASE_PHASES = ['start', 'open-users', 'workload', 'heal', 'final-reads', 'stop'] as const;
export type CasePhase = (typeof CASE_PHASES)[number];

/** How late one thread's event loop ran, in ms. */
export interface LoopLag {
  p50: number;
  p99: number;
  max: number;
}

/** Where a case's time went, and how late each thread's event loop ran while users worked. */
export interface CaseTiming {
  /** Seconds per phase. */
  phasesS: Partial<Record<CasePhase, number>>;
  /** Per thread (`runner`: its main thread, with the browsers and faults; `http-users`), during the workload. */
  eventLoopLagMs: Record<string, LoopLag>;
}

/** `cost.json`: what a case's cluster used, gathered while it ran (see CaseCost for what a result shows). */
export interface CostRecord {
  /** Per link id: its kind, and the bytes it carried each way over the cluster's life (null: unreadable). */
  links: Record<string, { kind: string; upstream: number; downstream: number }> | null;
  /** Per app node: its resident memory, sampled every second of the workload (MB). */
  memoryMb: Record<string, number[]>;
}

/** What a strategy cost in a case: traffic per kind of link, memory per node. */
export interface CaseCost {
  /** Per link kind (lb, store, replication): bytes both ways, per second of workload, per acknowledged write. */
  links: Record<string, { bytes: number; perSecond: number; perWrite: number | null }>;
  memoryMb: Record<string, { avg: number; max: number }>;
  /** What could not be measured, and why. */
  notes: string[];
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

/** A run of one user's consecutive ops on one node, in one session, with one outcome. */
export interface LaneRun {
  /** Milliseconds since the start of the workload: the first op's start and the last op's end. */
  from: number;
  to: number;
  node: string | null;
  outcome: Outcome;
  /** The session's login count (see Op.epoch). */
  epoch: number;
  ops: number;
  /** The op found no session though the user was logged in: a logout (always a run of its own). */
  loggedOut?: boolean;
}

/** One user behind anomalies, as a swimlane: where each of its ops went and how it ended. */
export interface UserLane {
  user: string;
  runs: LaneRun[];
  /** The user had more runs than a lane keeps: its later ops are not drawn. */
  truncated: boolean;
}

/** One case, checked: what `summary.json` holds per case and every report is drawn from. */
export interface CaseResult {
  experiment: string;
  strategy: string;
  /** Where the case's time went and the runner's event-loop lag (from case.json; absent in old runs). */
  timing?: CaseTiming;
  /** Set when the experiment compares cluster sizes: this case's size. */
  appNodes?: number;
  repeat: number;
  verdict: Verdict;
  ops: number;
  users: number;
  logouts: number;
  loggedOutUsers: number;
  /** Views that missed a write shown again later (read-your-writes or monotonic reads broken). */
  staleReads: number;
  /** Distinct writes behind those stale reads. */
  staleWrites: number;
  monotonicWrites: number;
  writesFollowReads: number;
  lostWrites: number;
  /** Lost writes of a user's own parallel requests: a later save of the session overwrote them (absent in
   * summaries written before they were told apart). */
  lostUpdates?: number;
  /** Users whose last final read failed. */
  undecidedUsers: number;
  /**
   * Their acknowledged writes that only that final read could have shown kept or lost: never counted as
   * lost, so the true number of lost writes lies in [lostWrites, lostWrites + undecidedWrites].
   */
  undecidedWrites: number;
  partialSessions: number;
  errors: number;
  /** Share of all users that met each kind of anomaly at least once (0–1). */
  exposure: Partial<Record<AnomalyKind, number>>;
  /** How old the missing writes of stale views were: view start minus the write's acknowledgement. */
  staleness: { count: number; p50Ms: number; maxMs: number };
  /** Acknowledged writes (adds). */
  writes: number;
  /** Traffic and memory; null for cases saved before it was measured. */
  cost: CaseCost | null;
  requestsByNode: Record<string, number>;
  /** max / mean of requestsByNode; 1 is perfectly even. */
  imbalance: number;
  latency: LatencySummary;
  /** Latency of ops that started before the first fault, during faults, and after the last heal. */
  latencyByPhase: { before: LatencySummary; during: LatencySummary; after: LatencySummary };
  /**
   * Latency of session ops (not logins) on the node that served the user's previous op of the same session,
   * and on another node: BackupManager's extra hop (absent in older summaries).
   */
  latencyByNodeChange?: { sameNode: LatencySummary; otherNode: LatencySummary };
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
  /** The anomaly kinds its expectations say must happen: expected effects, not surprises (absent in older summaries). */
  expectedKinds?: AnomalyKind[];
  /** The users behind anomalies as swimlanes (absent in older summaries). */
  lanes?: UserLane[];
  /** What the fault windows measured; null where no fault gave a window to measure. */
  faultFigures?: { p50RiseMs: number | null; recoveryS: number | null; outageS: number | null };
  /** Browser users whose Playwright trace the case kept, each at `traces/<user>.zip` in its folder (`--trace`). */
  traces?: string[];
}
