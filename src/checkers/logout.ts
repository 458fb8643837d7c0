import { byUserEpoch, isNoSession } from '../history/ops.ts';
import type { Anomaly } from '../model/anomaly.ts';
import type { Op } from '../model/op.ts';

/**
 * A logged-in user (after a successful login in this epoch, before its own logout) whom the app did not
 * recognise. Witness: the login, the last op the session still worked, and the op that found no session.
 */
export function checkLogouts(history: Op[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const ops of byUserEpoch(history).values()) {
    const login = ops.find((op) => op.op === 'login' && op.outcome === 'ok');
    if (!login) continue;
    let lastGood: Op = login;
    for (const op of ops) {
      if (op.start < login.end) continue;
      if (op.op === 'logout' && op.outcome === 'ok') break;
      if (isNoSession(op)) {
        const witness = lastGood === login ? [login, op] : [login, lastGood, op];
        anomalies.push({
          kind: 'logout',
          user: op.user,
          at: op.end,
          message: `${op.op} at ${Math.round(op.start)} ms on ${op.node ?? '?'} found no session (logged in on ${login.node ?? '?'} at ${Math.round(login.end)} ms, last worked on ${lastGood.node ?? '?'})`,
          witness,
        });
        break; // the user logs in again: later ops belong to a new epoch
      }
      if (op.outcome === 'ok') lastGood = op;
    }
  }
  return anomalies;
}
