import { byUser, isAckedAdd, isView } from '../history/ops.ts';
import type { Anomaly } from '../model/anomaly.ts';
import type { Op } from '../model/op.ts';

/**
 * An item acknowledged in the epoch of the user's final read (made after every fault healed) that the final
 * read does not show. A final read that finds no session is a logout, not lost writes.
 */
export function checkLostWrites(history: Op[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const ops of byUser(history).values()) {
    const final = ops.filter((op) => op.final).at(-1);
    if (!final || !isView(final)) continue;
    for (const add of ops) {
      if (!isAckedAdd(add) || add.epoch !== final.epoch || final.read.items.includes(add.wrote)) continue;
      anomalies.push({
        kind: 'lost-write',
        user: add.user,
        at: final.end,
        message: `item ${add.wrote}, acknowledged by ${add.node ?? '?'} at ${Math.round(add.end)} ms, is missing from the final read on ${final.node ?? '?'}`,
        witness: [add, final],
      });
    }
  }
  return anomalies;
}
