import type { Anomaly, AnomalyKind } from '../model/anomaly.ts';
import type { CaseRecord, CaseResult } from '../model/case.ts';
import type { ExpectationResult, MetricName, Verdict } from '../model/expectation.ts';
import type { FaultRecord } from '../model/fault.ts';
import type { Op } from '../model/op.ts';
import { evaluate } from './expectations.ts';
import { latencyByPhase, withRecovery } from './fault-windows.ts';
import { checkHistory } from './index.ts';
import { imbalance, latency, requestsByNode, timeline } from './metrics.ts';
import { round } from './stats.ts';

/** How many anomalies of each kind a result keeps for the report; the case folder keeps them all. */
export const ANOMALIES_SHOWN_PER_KIND = 50;

const METRICS_OF_CHECKER: Record<string, MetricName[]> = {
  logout: ['logouts', 'loggedOutUsers'],
  'stale-read': ['staleReads'],
  'lost-write': ['lostWrites'],
  'partial-session': ['partialSessions'],
  error: ['errors'],
};

export interface CheckedCase {
  result: CaseResult;
  /** Every anomaly found; the result keeps only the first few of each kind. */
  anomalies: Anomaly[];
}

export function checkCase(record: CaseRecord, history: Op[], ledgerFaults: FaultRecord[]): CheckedCase {
  const { anomalies, checkerErrors } = checkHistory(history);
  const faults = withRecovery(ledgerFaults, history);
  const phases = latencyByPhase(history, faults);
  const overall = latency(history);
  const count = (kind: AnomalyKind): number => anomalies.filter((a) => a.kind === kind).length;
  const counts: Record<MetricName, number> = {
    logouts: count('logout'),
    loggedOutUsers: new Set(anomalies.filter((a) => a.kind === 'logout').map((a) => a.user)).size,
    staleReads: count('stale-read'),
    lostWrites: count('lost-write'),
    partialSessions: count('partial-session'),
    errors: count('error'),
    ops: history.length,
    users: new Set(history.map((op) => op.user)).size,
    p50Ms: overall.p50,
    p99Ms: overall.p99,
    p50RiseMs: round(phases.during.p50 - phases.before.p50),
    recoveryS: Math.max(0, ...faults.map((f) => f.recoveredAfterS ?? 0)),
  };
  const unknown = new Set(checkerErrors.flatMap((e) => METRICS_OF_CHECKER[e.checker] ?? []));
  const endMs = record.durationS * 1000;
  const expectations = evaluate(record.expectations, { counts, unknown, history, anomalies, faults, endMs });
  if (record.error) expectations.push({ name: 'the case ran to the end', ok: null, detail: record.error });
  const byNode = requestsByNode(history);
  const result: CaseResult = {
    experiment: record.experiment,
    strategy: record.strategy,
    repeat: record.repeat,
    verdict: verdictOf(expectations),
    ...counts,
    requestsByNode: byNode,
    imbalance: imbalance(byNode),
    latency: overall,
    latencyByPhase: phases,
    faults,
    expectations,
    anomalies: capPerKind(anomalies, ANOMALIES_SHOWN_PER_KIND),
    timeline: timeline(history, record.nodes),
    durationS: record.durationS,
    dir: record.dir,
    checkerErrors,
  };
  return { result, anomalies };
}

export function verdictOf(expectations: ExpectationResult[]): Verdict {
  if (expectations.some((e) => e.ok === false)) return 'fail';
  if (expectations.some((e) => e.ok === null)) return 'unknown';
  return 'pass';
}

function capPerKind(anomalies: Anomaly[], cap: number): Anomaly[] {
  const seen = new Map<AnomalyKind, number>();
  return anomalies.filter((a) => {
    const n = (seen.get(a.kind) ?? 0) + 1;
    seen.set(a.kind, n);
    return n <= cap;
  });
}
