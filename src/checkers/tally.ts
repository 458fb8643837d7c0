/**
 * Tallying a case's history: fed each user's ops in order, the checkers and metrics gather what a verdict
 * needs, as plain data that merges across disjoint sets of users (a history is checked in parallel).
 */
import { isAckedAdd } from '../history/ops.ts';
import { NodesAt, type Whereabouts } from '../history/pinning.ts';
import type { Anomaly } from '../model/anomaly.ts';
import type { CaseRecord, CheckerError, LaneRun, Timeline } from '../model/case.ts';
import type { FaultRecord } from '../model/fault.ts';
import type { Op } from '../model/op.ts';
import type { Checker } from './checker.ts';
import { errorChecker } from './errors.ts';
import { type FailureTimes, FaultTimes, mergeFailureTimes } from './fault-windows.ts';
import { LaneBuilder } from './lanes.ts';
import { logoutChecker } from './logout.ts';
import { type HistogramState, LatencyHistogram, mergeTimelines, TimelineBuilder } from './metrics.ts';
import { mergeNodeChange, NodeChangeLatency, type NodeChangeState } from './node-change.ts';
import { partialSessionChecker } from './partial-session.ts';
import { SessionGuaranteesChecker } from './session-guarantees.ts';

/**
 * What checking gathered from some users' ops, as plain data: tallies of disjoint sets of users (each with
 * all of its ops) merge into the tally of the whole history, so a history can be checked in parallel.
 */
export interface Tally {
  ops: number;
  /** Acknowledged adds. */
  writes: number;
  users: number;
  byNode: Record<string, number>;
  latency: HistogramState;
  phases: { before: HistogramState; during: HistogramState; after: HistogramState };
  /** Latency of session ops on the node of the user's previous op, or on another. */
  nodeChange: NodeChangeState;
  failures: FailureTimes;
  timeline: Timeline;
  /** Per node fault: where each user was when it began. */
  whereabouts: Record<string, Whereabouts[]>[];
  anomalies: Anomaly[];
  /** Each user's ops folded into runs, for the swimlanes of the users behind anomalies. */
  lanes: Record<string, LaneRun[]>;
  crashed: CheckerError[];
  staleWrites: number;
  undecidedUsers: number;
  undecidedWrites: number;
  /** Why the history could not be read to the end, if it could not. */
  unreadable: string | null;
}

/** The faults that hit one app node: their users are the ones a node fault can log out. */
export const nodeFaultsOf = (record: CaseRecord, faults: FaultRecord[]): FaultRecord[] =>
  faults.filter((f) => f.status !== 'not-applied' && record.nodes.includes(f.target));

/** Fed op by op (each user's ops in order), gathers a tally. */
export class CaseTally {
  readonly #guarantees = new SessionGuaranteesChecker();
  readonly #checkers: Checker[] = [
    logoutChecker(),
    this.#guarantees,
    partialSessionChecker(),
    errorChecker(),
  ];
  readonly #crashed: CheckerError[] = [];
  readonly #times: FaultTimes;
  readonly #timeline: TimelineBuilder;
  readonly #latency = new LatencyHistogram();
  readonly #byNode: Record<string, number> = {};
  readonly #users = new Set<string>();
  readonly #lanes = new LaneBuilder();
  readonly #nodeChange = new NodeChangeLatency();
  readonly #nodesAt: NodesAt[];
  #ops = 0;
  #writes = 0;
  #unreadable: string | null = null;

  constructor(record: CaseRecord, faults: FaultRecord[]) {
    this.#times = new FaultTimes(faults, record.durationS * 1000);
    this.#timeline = new TimelineBuilder(record.nodes, record.durationS);
    this.#nodesAt = nodeFaultsOf(record, faults).map((f) => new NodesAt(f.at * 1000));
  }

  add(op: Op): void {
    this.#ops += 1;
    if (isAckedAdd(op)) this.#writes += 1;
    this.#users.add(op.user);
    if (op.node) this.#byNode[op.node] = (this.#byNode[op.node] ?? 0) + 1;
    if (op.outcome === 'ok') this.#latency.add(op.end - op.start);
    this.#times.add(op);
    this.#timeline.add(op);
    this.#lanes.add(op);
    this.#nodeChange.add(op);
    for (const at of this.#nodesAt) at.add(op);
    for (const checker of this.#checkers) this.#guard(checker, () => checker.add(op));
  }

  unreadable(reason: string): void {
    this.#unreadable = reason;
  }

  /** A crashing checker is named, and what it measures is unknown; the others go on. */
  #guard(checker: Checker, work: () => void): void {
    if (this.#crashed.some((e) => e.checker === checker.name)) return;
    try {
      work();
    } catch (error) {
      this.#crashed.push({ checker: checker.name, message: (error as Error).message });
    }
  }

  tally(): Tally {
    const anomalies: Anomaly[] = [];
    for (const checker of this.#checkers) this.#guard(checker, () => anomalies.push(...checker.finish()));
    const { phases } = this.#times;
    return {
      ops: this.#ops,
      writes: this.#writes,
      users: this.#users.size,
      byNode: this.#byNode,
      latency: this.#latency.state(),
      phases: { before: phases.before.state(), during: phases.during.state(), after: phases.after.state() },
      nodeChange: this.#nodeChange.state(),
      failures: this.#times.failures,
      timeline: this.#timeline.state(),
      whereabouts: this.#nodesAt.map((at) => at.snapshot()),
      anomalies,
      lanes: this.#lanes.state(),
      crashed: this.#crashed,
      staleWrites: this.#guarantees.staleWrites,
      undecidedUsers: this.#guarantees.undecidedUsers,
      undecidedWrites: this.#guarantees.undecidedWrites,
      unreadable: this.#unreadable,
    };
  }
}

/** The tally of a whole history from the tallies of disjoint sets of its users. */
export function mergeTallies(tallies: Tally[]): Tally {
  const sum = (pick: (t: Tally) => number): number => tallies.reduce((s, t) => s + pick(t), 0);
  const byNode: Record<string, number> = {};
  for (const t of tallies)
    for (const [node, n] of Object.entries(t.byNode)) byNode[node] = (byNode[node] ?? 0) + n;
  const crashed = new Map(tallies.flatMap((t) => t.crashed).map((e) => [e.checker, e]));
  const phase = (p: keyof Tally['phases']) =>
    LatencyHistogram.merged(tallies.map((t) => t.phases[p])).state();
  return {
    ops: sum((t) => t.ops),
    writes: sum((t) => t.writes),
    users: sum((t) => t.users),
    byNode,
    latency: LatencyHistogram.merged(tallies.map((t) => t.latency)).state(),
    phases: { before: phase('before'), during: phase('during'), after: phase('after') },
    nodeChange: mergeNodeChange(tallies.map((t) => t.nodeChange)),
    failures: mergeFailureTimes(tallies.map((t) => t.failures)),
    timeline: mergeTimelines(tallies.map((t) => t.timeline)),
    whereabouts: (tallies[0]?.whereabouts ?? []).map((_, i) =>
      Object.assign({}, ...tallies.map((t) => t.whereabouts[i])),
    ),
    anomalies: tallies.flatMap((t) => t.anomalies),
    lanes: Object.assign({}, ...tallies.map((t) => t.lanes)),
    crashed: [...crashed.values()],
    staleWrites: sum((t) => t.staleWrites),
    undecidedUsers: sum((t) => t.undecidedUsers),
    undecidedWrites: sum((t) => t.undecidedWrites),
    unreadable: tallies.find((t) => t.unreadable)?.unreadable ?? null,
  };
}
