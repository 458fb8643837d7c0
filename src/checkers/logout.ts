/** The logout anomaly: a logged-in user whose session the app no longer recognised. */
import { isNoSession } from '../history/ops.ts';
import type { Anomaly } from '../model/anomaly.ts';
import type { Op } from '../model/op.ts';
import { type Checker, ms, PerUser } from './checker.ts';

interface Epoch {
  epoch: number;
  login: Op | null;
  lastGood: Op | null;
  /** Logged out on purpose, or already counted: the rest of the epoch is not looked at. */
  over: boolean;
}

/**
 * A logged-in user (after a successful login in this epoch, before its own logout) whom the app did not
 * recognise: one logout per epoch. Witness: the login, the last op the session still worked, the op that
 * found no session.
 */
export function logoutChecker(): Checker {
  const users = new PerUser<Epoch>(() => ({ epoch: -1, login: null, lastGood: null, over: false }));
  const found: Anomaly[] = [];
  return {
    name: 'logout',
    add(op) {
      const s = users.of(op.user);
      if (op.epoch !== s.epoch)
        Object.assign(s, { epoch: op.epoch, login: null, lastGood: null, over: false });
      if (op.op === 'login' && op.outcome === 'ok' && !s.login) {
        s.login = op;
        s.lastGood = op;
        return;
      }
      const { login, lastGood } = s;
      if (!login || !lastGood || s.over || op.start < login.end) return;
      if (op.op === 'logout' && op.outcome === 'ok') s.over = true;
      else if (isNoSession(op)) {
        s.over = true;
        found.push({
          kind: 'logout',
          user: op.user,
          at: op.end,
          message: `${op.op} at ${ms(op.start)} ms on ${op.node ?? '?'} found no session (logged in on ${login.node ?? '?'} at ${ms(login.end)} ms, last worked on ${lastGood.node ?? '?'})`,
          witness: lastGood === login ? [login, op] : [login, lastGood, op],
        });
      } else if (op.outcome === 'ok') s.lastGood = op;
    },
    finish: () => found,
  };
}
