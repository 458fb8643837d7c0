import { NodesAt } from '../history/pinning.ts';
import type { Anomaly, AnomalyKind } from '../model/anomaly.ts';
import type { CaseRecord, CaseResult, CheckerError } from '../model/case.ts';
import type { MetricName, Verdict } from '../model/expectation.ts';
import type { FaultRecord } from '../model/fault.ts';
import type { Op } from '../model/op.ts';
import type { Checker } from './checker.ts';
import { errorChecker } from './errors.ts';
import { type Evidence, evaluate } from './expectations.ts';
import { FaultTimes, faultWindows } from './fault-windows.ts';
import { logoutChecker } from './logout.ts';
import { imbalance, LatencyHistogram, sortedByNode, TimelineBuilder } from './metrics.ts';
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
    'undecidedUsers',
  ],
  'partial-session': ['partialSessions'],
  error: ['errors'],
};

export interface CheckedCase {
  result: CaseResult;
  /** Every anomaly found; the result keeps only the first few of each kind. */
  anomalies: Anomaly[];
}

/** Checks one case's history, fed op by op, against its fault ledger and its expectations. */
export class CaseCheck {
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
  readonly #byNode = new Map<string, number>();
  readonly #users = new Set<string>();
  readonly #nodeFaults: { fault: FaultRecord; at: NodesAt }[];
  #ops = 0;
  #unreadable: string | null = null;

  constructor(
    readonly record: CaseRecord,
    readonly faults: FaultRecord[],
  ) {
    this.#times = new FaultTimes(faults, record.durationS * 1000);
    this.#timeline = new TimelineBuilder(record.nodes, record.durationS);
    this.#nodeFaults = faults
      .filter((f) => f.status !== 'not-applied' && record.nodes.includes(f.target))
      .map((fault) => ({ fault, at: new NodesAt(fault.at * 1000) }));
  }

  add(op: Op): void {
    this.#ops += 1;
    this.#users.add(op.user);
    if (op.node) this.#byNode.set(op.node, (this.#byNode.get(op.node) ?? 0) + 1);
    if (op.outcome === 'ok') this.#latency.add(op.end - op.start);
    this.#times.add(op);
    this.#timeline.add(op);
    for (const { at } of this.#nodeFaults) at.add(op);
    for (const checker of this.#checkers) this.#guard(checker, () => checker.add(op));
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

  unreadable(reason: string): void {
    this.#unreadable = reason;
  }

  finish(): CheckedCase {
    const anomalies: Anomaly[] = [];
    for (const checker of this.#checkers) this.#guard(checker, () => anomalies.push(...checker.finish()));
    const found = anomalies.sort((a, b) => a.at - b.at);
    const faults = this.#times.records(found);
    const counts = this.#counts(found, faults);
    const evidence: Evidence = {
      counts,
      unknown: this.#unknown(faults),
      lowerBound: new Map(),
      missing: [...(this.#unreadable ? [this.#unreadable] : []), ...missingEvidence(this.record, faults)],
      crashed: this.#crashed.map((e) => e.checker),
      anomalies: found,
      nodeFaults: this.#nodeFaults.map(({ fault, at }) => ({ fault, whereabouts: (user) => at.of(user) })),
      windows: faultWindows(faults, this.record.durationS * 1000),
    };
    if (counts.undecidedUsers > 0)
      evidence.lowerBound.set('lostWrites', `${counts.undecidedUsers} user(s) had no successful final read`);
    const expectations = evaluate(this.record.expectations, evidence);
    const byNode = sortedByNode(this.#byNode);
    const result: CaseResult = {
      experiment: this.record.experiment,
      strategy: this.record.strategy,
      repeat: this.record.repeat,
      verdict: verdictOf(expectations.map((e) => e.ok)),
      ...pickCounts(counts),
      exposure: exposure(found, this.#users.size),
      staleness: staleness(found),
      requestsByNode: byNode,
      imbalance: imbalance(byNode),
      latency: this.#latency.summary(),
      latencyByPhase: {
        before: this.#times.phases.before.summary(),
        during: this.#times.phases.during.summary(),
        after: this.#times.phases.after.summary(),
      },
      faults,
      expectations,
      anomalies: capPerKind(found, ANOMALIES_SHOWN_PER_KIND),
      timeline: this.#timeline.build(),
      durationS: this.record.durationS,
      dir: this.record.dir,
      checkerErrors: this.#crashed,
    };
    return { result, anomalies: found };
  }

  #counts(found: Anomaly[], faults: FaultRecord[]): Record<MetricName, number> {
    const count = (kind: AnomalyKind): number => found.filter((a) => a.kind === kind).length;
    const { before, during } = this.#times.phases;
    const healed = faults.filter((f) => f.recoveredAfterS !== undefined && f.recoveredAfterS !== null);
    return {
      logouts: count('logout'),
      loggedOutUsers: new Set(found.filter((a) => a.kind === 'logout').map((a) => a.user)).size,
      staleReads: count('stale-read'),
      staleWrites: this.#guarantees.staleWrites,
      monotonicWrites: count('monotonic-writes'),
      writesFollowReads: count('writes-follow-reads'),
      lostWrites: count('lost-write'),
      undecidedUsers: this.#guarantees.undecidedUsers,
      partialSessions: count('partial-session'),
      errors: count('error'),
      ops: this.#ops,
      users: this.#users.size,
      p50Ms: this.#latency.summary().p50,
      p99Ms: this.#latency.summary().p99,
      p50RiseMs: round(during.percentile(50) - before.percentile(50)),
      recoveryS: healed.reduce((max, f) => Math.max(max, f.recoveredAfterS ?? 0), 0),
    };
  }

  /** Metrics that could not be measured in this case, and why. */
  #unknown(faults: FaultRecord[]): Map<MetricName, string> {
    const unknown = new Map<MetricName, string>();
    for (const { checker, message } of this.#crashed)
      for (const metric of METRICS_OF_CHECKER[checker] ?? [])
        unknown.set(metric, `the ${checker} checker crashed: ${message}`);
    const acted = faults.filter((f) => f.status !== 'not-applied');
    const { before, during } = this.#times.phases;
    if (acted.length === 0) unknown.set('p50RiseMs', 'no fault acted, so there is no window to compare');
    else if (before.summary().count === 0 || during.summary().count === 0)
      unknown.set('p50RiseMs', 'no successful op before the first fault, or none while a fault was active');
    if (acted.length === 0) unknown.set('recoveryS', 'no fault acted, so nothing recovered');
    else if (acted.some((f) => f.healedAt === null)) unknown.set('recoveryS', 'a fault was never healed');
    return unknown;
  }
}

/** Checks a whole history; a history that cannot be read to the end leaves every expectation unknown. */
export function checkCase(record: CaseRecord, history: Iterable<Op>, faults: FaultRecord[]): CheckedCase {
  const check = new CaseCheck(record, faults);
  try {
    for (const op of history) check.add(op);
  } catch (error) {
    check.unreadable(`the history could not be read to the end: ${(error as Error).message}`);
  }
  return check.finish();
}

/** Why nothing in a case can be decided, if anything is missing. */
function missingEvidence(record: CaseRecord, faults: FaultRecord[]): string[] {
  const missing: string[] = [];
  if (record.error) missing.push(record.error);
  else if (record.completed !== true)
    missing.push('the case did not complete: its runner stopped before the end');
  for (const f of faults) {
    if (f.status === 'not-applied')
      missing.push(`the ${f.kind} fault on ${f.target} never acted${f.error ? `: ${f.error}` : ''}`);
    if (f.status === 'not-healed')
      missing.push(`the ${f.kind} fault on ${f.target} was never healed${f.error ? `: ${f.error}` : ''}`);
  }
  return missing;
}

/** fail if any expectation failed, else unknown if any could not be decided, else pass. */
export function verdictOf(oks: (boolean | null)[]): Verdict {
  if (oks.some((ok) => ok === false)) return 'fail';
  if (oks.some((ok) => ok === null)) return 'unknown';
  return 'pass';
}

function pickCounts(c: Record<MetricName, number>) {
  const { logouts, loggedOutUsers, staleReads, staleWrites, monotonicWrites, writesFollowReads } = c;
  const { lostWrites, undecidedUsers, partialSessions, errors, ops, users } = c;
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
    undecidedUsers,
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
