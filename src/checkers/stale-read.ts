import { byUserEpoch, isAckedAdd, isView } from '../history/ops.ts';
import type { Anomaly } from '../model/anomaly.ts';
import type { Op } from '../model/op.ts';

/**
 * Within one epoch: a view missing an item whose add was acknowledged before the view started
 * (read-your-writes), or showing a lower version than a view that ended before it started (monotonic reads).
 */
export function checkStaleReads(history: Op[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const ops of byUserEpoch(history).values()) {
    const acked = ops.filter(isAckedAdd).sort((a, b) => a.end - b.end);
    const views = ops.filter(isView);
    for (const view of views) {
      const missing = acked.filter((add) => add.end <= view.start && !view.read.items.includes(add.wrote));
      const newest = views
        .filter((earlier) => earlier.end <= view.start)
        .reduce<(typeof views)[number] | null>(
          (best, v) => (!best || v.read.version > best.read.version ? v : best),
          null,
        );
      const regressed = newest && newest.read.version > view.read.version ? newest : null;
      const lastMissing = missing.at(-1);
      if (!lastMissing && !regressed) continue;
      const reasons: string[] = [];
      if (lastMissing)
        reasons.push(
          `missed ${missing.length} acknowledged item(s), e.g. ${lastMissing.wrote} acknowledged at ${Math.round(lastMissing.end)} ms`,
        );
      if (regressed)
        reasons.push(
          `showed version ${view.read.version} after version ${regressed.read.version} was read at ${Math.round(regressed.end)} ms`,
        );
      const witness: Op[] = [view];
      if (lastMissing) witness.push(lastMissing);
      if (regressed) witness.push(regressed);
      anomalies.push({
        kind: 'stale-read',
        user: view.user,
        at: view.end,
        message: `${view.op} at ${Math.round(view.start)} ms on ${view.node ?? '?'} ${reasons.join('; ')}`,
        witness: [...new Set(witness)].sort((a, b) => a.start - b.start),
      });
    }
  }
  return anomalies;
}
