/** Deciding a case's expectations (bounds on metrics, checks against fault windows) from its evidence. */
import type { Whereabouts } from '../history/pinning.ts';
import type { Anomaly, AnomalyKind } from '../model/anomaly.ts';
import type {
  CheckName,
  ExpectationDefinition,
  ExpectationResult,
  MetricName,
} from '../model/expectation.ts';
import type { FaultRecord } from '../model/fault.ts';
import { anomaliesOutsideFaults, anomalySpan, type Window } from './fault-windows.ts';

/** What was gathered about a case; an expectation is decided only from this. */
export interface Evidence {
  counts: Record<MetricName, number>;
  /** Metrics that could not be measured, and why (a checker crashed, no fault window…). */
  unknown: Map<MetricName, string>;
  /**
   * Metrics known only to lie in a range, and why (lost writes while some writes are undecided): an
   * expectation on one is decided only when it holds, or fails, for every value in the range.
   */
  ranges: Map<MetricName, { low: number; high: number; why: string }>;
  /** Why nothing in the case can be decided (a fault did not act or heal, the case did not complete). */
  missing: string[];
  /** Names of checkers that crashed. */
  crashed: string[];
  anomalies: Anomaly[];
  /** The faults that hit one app node, with where each user was when each began. */
  nodeFaults: { fault: FaultRecord; whereabouts: (user: string) => Whereabouts[] }[];
  windows: Window[];
}

const CHECK_NAMES: Record<CheckName, string> = {
  'logouts-only-among-users-of-faulted-nodes': 'logouts only among users of the faulted node',
  'anomalies-only-during-faults': 'anomalies only while a fault was active',
};

export function expectationName(e: ExpectationDefinition): string {
  if ('check' in e) {
    const what = e.kinds
      ? CHECK_NAMES[e.check].replace('anomalies', e.kinds.join(', '))
      : CHECK_NAMES[e.check];
    return `${what}${e.graceS ? ` (+${e.graceS} s after each heal)` : ''}`;
  }
  if ('equals' in e) return `${e.metric} = ${e.equals}`;
  if ('atLeast' in e) return `${e.metric} ≥ ${e.atLeast}`;
  return `${e.metric} ≤ ${e.atMost}`;
}

export const NO_EXPECTATIONS: ExpectationResult = {
  name: 'no expectations',
  ok: null,
  detail: 'the experiment claims nothing for this strategy, so nothing can pass',
};

type Decision = Omit<ExpectationResult, 'name'>;

export function evaluate(expectations: ExpectationDefinition[], evidence: Evidence): ExpectationResult[] {
  if (expectations.length === 0)
    return [
      evidence.missing.length ? { ...NO_EXPECTATIONS, detail: evidence.missing.join('; ') } : NO_EXPECTATIONS,
    ];
  return expectations.map((e) => {
    const name = expectationName(e);
    if (evidence.missing.length > 0) return { name, ok: null, detail: evidence.missing.join('; ') };
    if (!('check' in e)) return { name, ...metric(e, evidence) };
    if (e.check === 'anomalies-only-during-faults')
      return { name, ...onlyDuringFaults(evidence, e.graceS ?? 0, e.kinds) };
    return { name, ...onlyUsersOfFaultedNodes(evidence) };
  });
}

type MetricExpectation = Exclude<ExpectationDefinition, { check: CheckName }>;

/** Whether the expectation holds for every value in [low, high], for none, or for some only (null). */
function holdsOver(e: MetricExpectation, low: number, high: number): boolean | null {
  if ('equals' in e) {
    if (low === e.equals && high === e.equals) return true;
    return e.equals < low || e.equals > high ? false : null;
  }
  if ('atLeast' in e) return low >= e.atLeast ? true : high < e.atLeast ? false : null;
  return high <= e.atMost ? true : low > e.atMost ? false : null;
}

function metric(e: MetricExpectation, evidence: Evidence): Decision {
  const why = evidence.unknown.get(e.metric);
  if (why !== undefined) return { ok: null, detail: `${e.metric} unknown: ${why}` };
  const value = evidence.counts[e.metric];
  const range = evidence.ranges.get(e.metric);
  if (range === undefined) return { ok: holdsOver(e, value, value), detail: `${e.metric} was ${value}` };
  const ok = holdsOver(e, range.low, range.high);
  const between = `${e.metric} was between ${range.low} and ${range.high} (${range.why})`;
  return { ok, detail: ok === null ? `${between}: it holds for some of those values only` : between };
}

/**
 * Every logout came to a user who, when a node fault began, was on that node (its last successful op, or
 * the op it had in flight, was served there), in the epoch it was in then, at or after the fault.
 */
function onlyUsersOfFaultedNodes({ anomalies, nodeFaults, crashed }: Evidence): Decision {
  if (crashed.includes('logout')) return { ok: null, detail: 'unknown: the logout checker crashed' };
  const logouts = anomalies.filter((a) => a.kind === 'logout');
  if (logouts.length === 0) return { ok: true, detail: 'no logouts' };
  const explained = (a: Anomaly): boolean => {
    const op = a.witness.at(-1);
    return nodeFaults.some(({ fault, whereabouts }) => {
      const onTarget = (where: Whereabouts) => where.node === fault.target && where.epoch === op?.epoch;
      return op !== undefined && op.end >= fault.at * 1000 && whereabouts(a.user).some(onTarget);
    });
  };
  const outsiders = logouts.filter((a) => !explained(a));
  const users = new Set(logouts.map((a) => a.user));
  const targets = [...new Set(nodeFaults.map(({ fault }) => fault.target))].join(', ') || 'no node';
  if (outsiders.length === 0)
    return { ok: true, detail: `all ${users.size} logged-out user(s) were on ${targets} when it failed` };
  const first = outsiders[0] as Anomaly;
  const where = nodeFaults
    .map(
      ({ whereabouts }) =>
        whereabouts(first.user)
          .map((w) => w.node)
          .join(' and ') || 'no node yet',
    )
    .join(', ');
  return {
    ok: false,
    detail: `${outsiders.length} logout(s) outside the users of ${targets}, e.g. ${first.user} at ${Math.round(first.at)} ms (on ${where} when the fault began)`,
  };
}

/** Every anomaly's op was in flight while a fault was active (or within `graceS` after its heal). */
function onlyDuringFaults(
  { anomalies: all, windows, crashed }: Evidence,
  graceS: number,
  kinds: AnomalyKind[] | undefined,
): Decision {
  if (crashed.length > 0) return { ok: null, detail: `unknown: checker(s) ${crashed.join(', ')} crashed` };
  const anomalies = kinds ? all.filter((a) => kinds.includes(a.kind)) : all;
  if (windows.length === 0)
    return { ok: anomalies.length === 0, detail: `no fault acted; ${anomalies.length} anomalies` };
  const outside = anomaliesOutsideFaults(anomalies, windows, graceS);
  if (outside.length === 0)
    return { ok: true, detail: `all ${anomalies.length} anomalies were inside a fault window` };
  const first = outside[0] as Anomaly;
  return {
    ok: false,
    detail: `${outside.length} of ${anomalies.length} anomalies outside every fault window, e.g. ${first.kind} of ${first.user} at ${Math.round(anomalySpan(first).from)} ms`,
  };
}
