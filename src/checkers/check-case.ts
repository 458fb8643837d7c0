import { isAckedAdd } from '../history/ops.ts';
import { NodesAt, type Whereabouts } from '../history/pinning.ts';
import type { Anomaly, AnomalyKind } from '../model/anomaly.ts';
import {
  type CaseRecord,
  type CaseResult,
  type CheckerError,
  type CostRecord,
  type LaneRun,
  perThousandWrites,
  type Timeline,
} from '../model/case.ts';
import type { MetricName, Verdict } from '../model/expectation.ts';
import type { FaultRecord } from '../model/fault.ts';
import type { Op } from '../model/op.ts';
import type { Checker } from './checker.ts';
import { caseCost } from './cost.ts';
import { errorChecker } from './errors.ts';
import { type Evidence, evaluate } from './expectations.ts';
import { expectedKinds } from './expected-effects.ts';
import {
  type FailureTimes,
  FaultTimes,
  faultWindows,
  mergeFailureTimes,
  timedFaults,
} from './fault-windows.ts';
import { chooseLanes, LaneBuilder } from './lanes.ts';
import { logoutChecker } from './logout.ts';
import {
  addedNodeShare,
  type HistogramState,
  imbalance,
  LatencyHistogram,
  mergeTimelines,
  sortedByNode,
  TimelineBuilder,
  trimTimeline,
} from './metrics.ts';
import {
  mergeNodeChange,
  NodeChangeLatency,
  type NodeChangeState,
  nodeChangeSummary,
} from './node-change.ts';
import { partialSessionChecker } from './partial-session.ts';
import { SessionGuaranteesChecker } from './session-guarantees.ts';
import { percentile, round } from './stats.ts';

/** How many anomalies of each kind a result keeps for the report; the case folder keeps them all. */
export const ANOMALIES_SHOWN_PER_KIND = 50;

/** The metrics each checker measures: unknown when it crashed. */
const METRICS_OF_CHECKER: Record<string, MetricName[]> = {
  logout: ['logouts', 'loggedOutUsers'],
  'session-guarantees': [
    'staleReads',
    'staleWrites',
    'monotonicWrites',
    'writesFollowReads',
    'lostWrites',
    'lostUpdates',
    'lostUpdatesPer1000Writes',
    'undecidedUsers',
    'undecidedWrites',
  ],
  'partial-session': ['partialSessions'],
  error: ['errors'],
};

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
const nodeFaultsOf = (record: CaseRecord, faults: FaultRecord[]): FaultRecord[] =>
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

export interface CheckedCase {
  result: CaseResult;
  /** Every anomaly found; the result keeps only the first few of each kind. */
  anomalies: Anomaly[];
}

/** A case's result from its tally: counts, fault times, and each expectation decided on the evidence. */
export function judge(
  record: CaseRecord,
  faults: FaultRecord[],
  tally: Tally,
  cost: CostRecord | null = null,
): CheckedCase {
  const found = [...tally.anomalies].sort((a, b) => a.at - b.at);
  const timed = timedFaults(faults, tally.failures, found);
  const latency = LatencyHistogram.merged([tally.latency]);
  const [before, during] = [
    LatencyHistogram.merged([tally.phases.before]),
    LatencyHistogram.merged([tally.phases.during]),
  ];
  const count = (kind: AnomalyKind): number => found.filter((a) => a.kind === kind).length;
  const healed = timed.filter((f) => f.recoveredAfterS !== undefined && f.recoveredAfterS !== null);
  const loggedOut = new Set(found.filter((a) => a.kind === 'logout').map((a) => a.user)).size;
  const added = addedNodeShare(tally.timeline, timed, record.durationS);
  const byNode = sortedByNode(new Map(Object.entries(tally.byNode)));
  const expected = expectedKinds(record.expectations);
  const counts: Record<MetricName, number> = {
    logouts: count('logout'),
    loggedOutUsers: loggedOut,
    loggedOutShare: tally.users ? round(loggedOut / tally.users, 3) : 0,
    staleReads: count('stale-read'),
    staleWrites: tally.staleWrites,
    monotonicWrites: count('monotonic-writes'),
    writesFollowReads: count('writes-follow-reads'),
    lostWrites: count('lost-write'),
    lostUpdates: count('lost-update'),
    lostUpdatesPer1000Writes: round(perThousandWrites(count('lost-update'), tally.writes), 1),
    undecidedUsers: tally.undecidedUsers,
    undecidedWrites: tally.undecidedWrites,
    partialSessions: count('partial-session'),
    errors: count('error'),
    ops: tally.ops,
    users: tally.users,
    p50Ms: latency.summary().p50,
    p99Ms: latency.summary().p99,
    p50RiseMs: round(during.percentile(50) - before.percentile(50)),
    recoveryS: healed.reduce((max, f) => Math.max(max, f.recoveredAfterS ?? 0), 0),
    outageS: timed.reduce((max, f) => Math.max(max, f.failingForS ?? 0), 0),
    addedNodeShare: added ?? 0,
    imbalance: imbalance(byNode),
  };
  const nodeFaults = nodeFaultsOf(record, timed);
  const evidence: Evidence = {
    counts,
    unknown: unknownMetrics(tally, timed),
    ranges: new Map(),
    missing: [...(tally.unreadable ? [tally.unreadable] : []), ...missingEvidence(record, timed)],
    crashed: tally.crashed.map((e) => e.checker),
    anomalies: found,
    nodeFaults: nodeFaults.map((fault, i) => ({
      fault,
      whereabouts: (user) => tally.whereabouts[i]?.[user] ?? [],
    })),
    windows: faultWindows(timed, record.durationS * 1000),
  };
  if (added === null)
    evidence.unknown.set('addedNodeShare', 'no scale-out added a node while users were served');
  if (counts.undecidedWrites > 0)
    evidence.ranges.set('lostWrites', {
      low: counts.lostWrites,
      high: counts.lostWrites + counts.undecidedWrites,
      why: `${counts.undecidedWrites} write(s) of ${counts.undecidedUsers} user(s) whose last final read failed are undecided`,
    });
  const expectations = evaluate(record.expectations, evidence);
  const phases = tally.phases;
  const result: CaseResult = {
    experiment: record.experiment,
    strategy: record.strategy,
    ...(record.appNodes === undefined ? {} : { appNodes: record.appNodes }),
    repeat: record.repeat,
    verdict: verdictOf(expectations.map((e) => e.ok)),
    ...pickCounts(counts),
    exposure: exposure(found, tally.users),
    staleness: staleness(found),
    writes: tally.writes,
    cost: caseCost(cost, record.durationS, tally.writes, record.note),
    requestsByNode: byNode,
    imbalance: counts.imbalance,
    latency: latency.summary(),
    latencyByPhase: {
      before: LatencyHistogram.merged([phases.before]).summary(),
      during: LatencyHistogram.merged([phases.during]).summary(),
      after: LatencyHistogram.merged([phases.after]).summary(),
    },
    latencyByNodeChange: nodeChangeSummary(tally.nodeChange),
    faults: timed,
    expectations,
    anomalies: capPerKind(found, ANOMALIES_SHOWN_PER_KIND),
    timeline: trimTimeline(tally.timeline),
    durationS: record.durationS,
    dir: record.dir,
    checkerErrors: tally.crashed,
    expectedKinds: expected,
    lanes: chooseLanes(tally.lanes, found, expected),
    faultFigures: {
      p50RiseMs: evidence.unknown.has('p50RiseMs') ? null : counts.p50RiseMs,
      recoveryS: evidence.unknown.has('recoveryS') ? null : counts.recoveryS,
      outageS: evidence.unknown.has('outageS') ? null : counts.outageS,
    },
    ...(record.timing ? { timing: record.timing } : {}),
  };
  return { result, anomalies: found };
}

/** Checks a whole history; a history that cannot be read to the end leaves every expectation unknown. */
export function checkCase(
  record: CaseRecord,
  history: Iterable<Op>,
  faults: FaultRecord[],
  cost: CostRecord | null = null,
): CheckedCase {
  const tally = new CaseTally(record, faults);
  try {
    for (const op of history) tally.add(op);
  } catch (error) {
    tally.unreadable(`the history could not be read to the end: ${(error as Error).message}`);
  }
  return judge(record, faults, tally.tally(), cost);
}

/** Metrics that could not be measured in a case, and why. */
function unknownMetrics(tally: Tally, faults: FaultRecord[]): Map<MetricName, string> {
  const unknown = new Map<MetricName, string>();
  for (const { checker, message } of tally.crashed)
    for (const metric of METRICS_OF_CHECKER[checker] ?? [])
      unknown.set(metric, `the ${checker} checker crashed: ${message}`);
  const acted = faults.filter((f) => f.status !== 'not-applied');
  if (acted.length === 0) unknown.set('p50RiseMs', 'no fault acted, so there is no window to compare');
  else if (tally.phases.before.count === 0 || tally.phases.during.count === 0)
    unknown.set('p50RiseMs', 'no successful op before the first fault, or none while a fault was active');
  if (acted.length === 0) unknown.set('recoveryS', 'no fault acted, so nothing recovered');
  if (acted.length === 0) unknown.set('outageS', 'no fault acted');
  else if (acted.some((f) => f.healedAt === null)) unknown.set('recoveryS', 'a fault was never healed');
  return unknown;
}

/** Why nothing in a case can be decided, if anything is missing. */
function missingEvidence(record: CaseRecord, faults: FaultRecord[]): string[] {
  const missing: string[] = [];
  if (record.error) missing.push(record.error);
  else if (record.completed !== true)
    missing.push('the case did not complete: its runner stopped before the end');
  for (const f of faults) missing.push(...faultGaps(f, record.durationS));
  return missing;
}

/** What a fault leaves undecided: it never acted, acted too late, showed no effect, or was never healed. */
function faultGaps(f: FaultRecord, durationS: number): string[] {
  const name = `the ${f.kind} fault on ${f.target}`;
  const why = f.error ? `: ${f.error}` : '';
  if (f.status === 'not-applied') return [`${name} never acted${why}`];
  const gaps: string[] = [];
  if (f.at >= durationS) gaps.push(`${name} acted at ${f.at} s, after the workload ended (${durationS} s)`);
  if (!f.effect) gaps.push(`${name} acted, but no effect of it was recorded`);
  else if (!f.effect.observed) gaps.push(`${name} acted, but its effect was not seen: ${f.effect.evidence}`);
  if (f.status === 'not-healed') gaps.push(`${name} was never healed${why}`);
  return gaps;
}

/** fail if any expectation failed, else unknown if any (or none at all) could not be decided, else pass. */
export function verdictOf(oks: (boolean | null)[]): Verdict {
  if (oks.some((ok) => ok === false)) return 'fail';
  if (oks.length === 0 || oks.some((ok) => ok === null)) return 'unknown';
  return 'pass';
}

function pickCounts(c: Record<MetricName, number>) {
  const { logouts, loggedOutUsers, staleReads, staleWrites, monotonicWrites, writesFollowReads } = c;
  const { lostWrites, lostUpdates, undecidedUsers, undecidedWrites, partialSessions, errors, ops, users } = c;
  return {
    ops,
    users,
    logouts,
    loggedOutUsers,
    staleReads,
    staleWrites,
    monotonicWrites,
    writesFollowReads,
    lostWrites,
    lostUpdates,
    undecidedUsers,
    undecidedWrites,
    partialSessions,
    errors,
  };
}

function exposure(found: Anomaly[], users: number): Partial<Record<AnomalyKind, number>> {
  const byKind = new Map<AnomalyKind, Set<string>>();
  for (const a of found) byKind.set(a.kind, (byKind.get(a.kind) ?? new Set()).add(a.user));
  return Object.fromEntries([...byKind].map(([kind, who]) => [kind, users ? round(who.size / users, 3) : 0]));
}

function staleness(found: Anomaly[]): CaseResult['staleness'] {
  const ages = found
    .flatMap((a) => (a.stalenessMs === undefined ? [] : [a.stalenessMs]))
    .sort((a, b) => a - b);
  return { count: ages.length, p50Ms: percentile(ages, 50), maxMs: ages.at(-1) ?? 0 };
}

function capPerKind(anomalies: Anomaly[], cap: number): Anomaly[] {
  const seen = new Map<AnomalyKind, number>();
  return anomalies.filter((a) => {
    const n = (seen.get(a.kind) ?? 0) + 1;
    seen.set(a.kind, n);
    return n <= cap;
  });
}
