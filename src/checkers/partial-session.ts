import { isView } from '../history/ops.ts';
import type { Anomaly } from '../model/anomaly.ts';
import type { Op } from '../model/op.ts';

/**
 * A session the app recognised but whose parts disagree: it lost (or changed) its user, or its items and
 * version no longer match (every add appends one item and bumps the version by one).
 */
export function checkPartialSessions(history: Op[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const op of history) {
    if (!isView(op)) continue;
    const { user, items, version } = op.read;
    const problems: string[] = [];
    if (user !== op.user) problems.push(`user is ${JSON.stringify(user)}`);
    if (items.length !== version) problems.push(`${items.length} item(s) but version ${version}`);
    if (problems.length === 0) continue;
    anomalies.push({
      kind: 'partial-session',
      user: op.user,
      at: op.end,
      message: `${op.op} at ${Math.round(op.start)} ms on ${op.node ?? '?'} showed a partial session: ${problems.join(', ')}`,
      witness: [op],
    });
  }
  return anomalies;
}
