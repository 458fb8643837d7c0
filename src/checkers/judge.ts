/**
 * Judging a case: from its tally, the counts and metrics, what could not be measured and why, each
 * expectation decided on the evidence, and the case's result as the report shows it.
 */
import type { Anomaly, AnomalyKind } from '../model/anomaly.ts';
import { type CaseRecord, type CaseResult, type CostRecord, perThousandWrites } from '../model/case.ts';
import type { MetricName, Verdict } from '../model/expectation.ts';
import type { FaultRecord } from '../model/fault.ts';
import { caseCost } from './cost.ts';
import { type Evidence, evaluate } from './expectations.ts';
import { expectedKinds } from './expected-effects.ts';
import { faultWindows, timedFaults } from './fault-windows.ts';
import { chooseLanes } from './lanes.ts';
import { addedNodeShare, imbalance, LatencyHistogram, sortedByNode, trimTimeline } from './metrics.ts';
import { nodeChangeSummary } from './node-change.ts';
import { percentile, round } from './stats.ts';
import { nodeFaultsOf, type Tally } from './tally.ts';

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

export interface CheckedCase {
  result: CaseResult;
  /** Every anomaly found; the result keeps only the first few of each kind. */
  anomalies: Anomaly[];
}

/** Every metric of a case, counted from its anomalies and its tally. */
function caseCounts(
  record: CaseRecord,
  tally: Tally,
  found: Anomaly[],
  timed: FaultRecord[],
): { counts: Record<MetricName, number>; added: number | null } {
  const count = (kind: AnomalyKind): number => found.filter((a) => a.kind === kind).length;
  const latency = LatencyHistogram.merged([tally.latency]);
  const [before, during] = [
    LatencyHistogram.merged([tally.phases.before]),
    LatencyHistogram.merged([tally.phases.during]),
  ];
  const healed = timed.filter((f) => f.recoveredAfterS !== undefined && f.recoveredAfterS !== null);
  const loggedOut = new Set(found.filter((a) => a.kind === 'logout').map((a) => a.user)).size;
  const added = addedNodeShare(tally.timeline, timed, record.durationS);
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
    imbalance: imbalance(sortedByNode(new Map(Object.entries(tally.byNode)))),
  };
  return { counts, added };
}

/** What the expectations are decided on: the counts, what is unknown or only bounded, and why. */
function caseEvidence(record: CaseRecord, tally: Tally, found: Anomaly[], timed: FaultRecord[]): Evidence {
  const { counts, added } = caseCounts(record, tally, found, timed);
  const evidence: Evidence = {
    counts,
    unknown: unknownMetrics(tally, timed),
    ranges: new Map(),
    missing: [...(tally.unreadable ? [tally.unreadable] : []), ...missingEvidence(record, timed)],
    crashed: tally.crashed.map((e) => e.checker),
    anomalies: found,
    nodeFaults: nodeFaultsOf(record, timed).map((fault, i) => ({
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
  return evidence;
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
  const evidence = caseEvidence(record, tally, found, timed);
  const { counts, unknown } = evidence;
  const expectations = evaluate(record.expectations, evidence);
  const expected = expectedKinds(record.expectations);
  const { phases } = tally;
  const summary = (state: Tally['latency']) => LatencyHistogram.merged([state]).summary();
  const figure = (metric: MetricName): number | null => (unknown.has(metric) ? null : counts[metric]);
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
    requestsByNode: sortedByNode(new Map(Object.entries(tally.byNode))),
    imbalance: counts.imbalance,
    latency: summary(tally.latency),
    latencyByPhase: {
      before: summary(phases.before),
      during: summary(phases.during),
      after: summary(phases.after),
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
      p50RiseMs: figure('p50RiseMs'),
      recoveryS: figure('recoveryS'),
      outageS: figure('outageS'),
    },
    ...(record.timing ? { timing: record.timing } : {}),
  };
  return { result, anomalies: found };
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
