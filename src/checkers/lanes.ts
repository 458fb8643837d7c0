/** Users as swimlanes: each user's ops folded into runs on one node, kept for the users behind anomalies. */
import type { Anomaly, AnomalyKind } from '../model/anomaly.ts';
import type { LaneRun, UserLane } from '../model/case.ts';
import { NO_SESSION, type Op } from '../model/op.ts';

/** Runs kept per user: a user served round-robin changes node at every op, and a lane is a picture, not a log. */
export const RUNS_PER_USER = 200;
/** Lanes a case keeps: enough to show who was hit, small enough for the summary. */
export const LANES_PER_CASE = 6;

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
    const loggedOut = op.error === NO_SESSION;
    const last = runs[runs.length - 1];
    if (last && sameRun(last, op, loggedOut)) {
      last.to = op.end;
      last.ops += 1;
      return;
    }
    if (runs.length >= RUNS_PER_USER) return;
    const { start: from, end: to, node, outcome, epoch } = op;
    runs.push({ from, to, node, outcome, epoch, ops: 1, ...(loggedOut ? { loggedOut } : {}) });
  }

  state(): Record<string, LaneRun[]> {
    return this.#runs;
  }
}

/**
 * The lanes a case keeps: users with unexpected anomalies first, then those with expected ones, each group
 * in the order their first anomaly happened.
 */
export function chooseLanes(
  runs: Record<string, LaneRun[]>,
  anomalies: Anomaly[],
  expected: AnomalyKind[],
  max = LANES_PER_CASE,
): UserLane[] {
  const first = new Map<string, { at: number; surprise: boolean }>();
  for (const a of anomalies) {
    const seen = first.get(a.user);
    const surprise = !expected.includes(a.kind) || (seen?.surprise ?? false);
    first.set(a.user, { at: Math.min(seen?.at ?? a.at, a.at), surprise });
  }
  return [...first.entries()]
    .sort(([, a], [, b]) => Number(b.surprise) - Number(a.surprise) || a.at - b.at)
    .slice(0, max)
    .map(([user]) => {
      const kept = runs[user] ?? [];
      return { user, runs: kept, truncated: kept.length >= RUNS_PER_USER };
    });
}
