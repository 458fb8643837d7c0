import { lastNodeByUser } from '../history/pinning.ts';
import type { Anomaly } from '../model/anomaly.ts';
import type {
  CheckName,
  ExpectationDefinition,
  ExpectationResult,
  MetricName,
} from '../model/expectation.ts';
import type { FaultRecord } from '../model/fault.ts';
import type { Op } from '../model/op.ts';
import { anomaliesOutsideFaults, anomalySpan } from './fault-windows.ts';

export interface Evidence {
  counts: Record<MetricName, number>;
  /** Metrics whose checker crashed: expectations on them are unknown. */
  unknown: Set<MetricName>;
  history: Op[];
  anomalies: Anomaly[];
  faults: FaultRecord[];
  /** The end of the workload, for faults never healed. */
  endMs: number;
}

export function expectationName(e: ExpectationDefinition): string {
  if ('check' in e) return `${CHECK_NAMES[e.check]}${e.graceS ? ` (+${e.graceS} s after each heal)` : ''}`;
  if ('equals' in e) return `${e.metric} = ${e.equals}`;
  if ('atLeast' in e) return `${e.metric} ≥ ${e.atLeast}`;
  return `${e.metric} ≤ ${e.atMost}`;
}

const CHECK_NAMES: Record<CheckName, string> = {
  'logouts-only-among-users-of-faulted-nodes': 'logouts only among users of the faulted node',
  'anomalies-only-during-faults': 'anomalies only while a fault was active',
};

export function evaluate(expectations: ExpectationDefinition[], evidence: Evidence): ExpectationResult[] {
  return expectations.map((e) => {
    const name = expectationName(e);
    if ('check' in e)
      return {
        name,
        ...(e.check === 'anomalies-only-during-faults'
          ? onlyDuringFaults(evidence, e.graceS ?? 0)
          : onlyUsersOfFaultedNodes(evidence)),
      };
    const value = evidence.counts[e.metric];
    if (evidence.unknown.has(e.metric))
      return { name, ok: null, detail: `${e.metric} unknown: its checker failed` };
    const ok = 'equals' in e ? value === e.equals : 'atLeast' in e ? value >= e.atLeast : value <= e.atMost;
    return { name, ok, detail: `${e.metric} was ${value}` };
  });
}

/** Every logout happened after a node fault, to a user who was on a faulted node when the fault began. */
function onlyUsersOfFaultedNodes({ history, anomalies, faults }: Evidence): Omit<ExpectationResult, 'name'> {
  const logouts = anomalies.filter((a) => a.kind === 'logout');
  if (logouts.length === 0) return { ok: true, detail: 'no logouts' };
  const pinned = faults.map((f) => ({ fault: f, users: lastNodeByUser(history, f.at * 1000) }));
  const outsiders = logouts.filter((logout) => {
    const started = pinned.filter(({ fault }) => fault.at * 1000 <= logout.at);
    return !started.some(({ fault, users }) => users.get(logout.user) === fault.target);
  });
  const users = new Set(logouts.map((a) => a.user));
  if (outsiders.length === 0) {
    const targets = [...new Set(faults.map((f) => f.target))].join(', ');
    return { ok: true, detail: `all ${users.size} logged-out user(s) were on ${targets} when it failed` };
  }
  const first = outsiders[0] as Anomaly;
  const at = pinned.filter(({ fault }) => fault.at * 1000 <= first.at);
  const on = at.length ? (at.at(-1)?.users.get(first.user) ?? 'no node yet') : 'before any fault';
  return {
    ok: false,
    detail: `${outsiders.length} logout(s) outside the faulted node's users, e.g. ${first.user} at ${Math.round(first.at)} ms (${on})`,
  };
}

/** Every anomaly's op started while a fault was active (or within `graceS` after its heal). */
function onlyDuringFaults(
  { anomalies, faults, endMs }: Evidence,
  graceS: number,
): Omit<ExpectationResult, 'name'> {
  if (faults.length === 0)
    return { ok: anomalies.length === 0, detail: `no fault was injected; ${anomalies.length} anomalies` };
  const outside = anomaliesOutsideFaults(anomalies, faults, graceS, endMs);
  if (outside.length === 0)
    return { ok: true, detail: `all ${anomalies.length} anomalies were inside a fault window` };
  const first = outside[0] as Anomaly;
  return {
    ok: false,
    detail: `${outside.length} of ${anomalies.length} anomalies outside every fault window, e.g. ${first.kind} of ${first.user} at ${Math.round(anomalySpan(first).from)} ms`,
  };
}
