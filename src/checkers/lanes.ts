/** Users as swimlanes: each user's ops folded into runs on one node, kept for the users behind anomalies. */

import { isNoSession } from '../history/ops.ts';
import type { Anomaly, AnomalyKind } from '../model/anomaly.ts';
import type { LaneRun, UserLane } from '../model/case.ts';
import type { Op } from '../model/op.ts';

/** Runs gathered per user while checking: a user served round-robin changes node at every op. */
export const RUNS_PER_USER = 400;
/** Runs a lane keeps: a lane is a picture, not a log (the history has every op). */
export const RUNS_PER_LANE = 120;
/** Lanes a case keeps: enough to show who was hit, small enough for the summary and the report. */
export const LANES_PER_CASE = 5;
/** A lane shows the user's ops from this long before its first anomaly… */
export const LANE_BEFORE_MS = 5000;
/** …to this long after its last one. */
export const LANE_AFTER_MS = 3000;

const sameRun = (run: LaneRun, op: Op, loggedOut: boolean): boolean =>
  !run.loggedOut &&
  !loggedOut &&
  run.node === op.node &&
  run.outcome === op.outcome &&
  run.epoch === op.epoch;

/** Fed each user's ops in order: folds consecutive ops on one node, in one session, with one outcome. */
export class LaneBuilder {
  readonly #runs: Record<string, LaneRun[]> = {};

  add(op: Op): void {
    this.#runs[op.user] ??= [];
    const runs = this.#runs[op.user] as LaneRun[];
    const loggedOut = isNoSession(op);
    const last = runs[runs.length - 1];
    if (last && sameRun(last, op, loggedOut)) {
      last.to = Math.round(op.end);
      last.ops += 1;
      return;
    }
    if (runs.length >= RUNS_PER_USER) return;
    const [from, to] = [Math.round(op.start), Math.round(op.end)];
    const { node, outcome, epoch } = op;
    runs.push({ from, to, node, outcome, epoch, ops: 1, ...(loggedOut ? { loggedOut } : {}) });
  }

  state(): Record<string, LaneRun[]> {
    return this.#runs;
  }
}

/** The runs of a lane: those around the user's anomalies, at most RUNS_PER_LANE. */
function around(runs: LaneRun[], first: number, last: number): Pick<UserLane, 'runs' | 'truncated'> {
  const [from, to] = [first - LANE_BEFORE_MS, last + LANE_AFTER_MS];
  const near = runs.filter((r) => r.to >= from && r.from <= to);
  const gathered = runs.length < RUNS_PER_USER || (runs[runs.length - 1]?.to ?? 0) >= to;
  return { runs: near.slice(0, RUNS_PER_LANE), truncated: near.length > RUNS_PER_LANE || !gathered };
}

/**
 * The lanes a case keeps: users with unexpected anomalies first, then those with expected ones, each group
 * in the order their first anomaly happened; each lane from a little before its first anomaly to a little
 * after its last.
 */
export function chooseLanes(
  runs: Record<string, LaneRun[]>,
  anomalies: Anomaly[],
  expected: AnomalyKind[],
  max = LANES_PER_CASE,
): UserLane[] {
  const hit = new Map<string, { first: number; last: number; surprise: boolean }>();
  for (const a of anomalies) {
    const seen = hit.get(a.user);
    hit.set(a.user, {
      first: Math.min(seen?.first ?? a.at, a.at),
      last: Math.max(seen?.last ?? a.at, a.at),
      surprise: !expected.includes(a.kind) || (seen?.surprise ?? false),
    });
  }
  return [...hit.entries()]
    .sort(([, a], [, b]) => Number(b.surprise) - Number(a.surprise) || a.first - b.first)
    .slice(0, max)
    .map(([user, { first, last }]) => ({ user, ...around(runs[user] ?? [], first, last) }));
}
