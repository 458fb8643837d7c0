/** The partial-session anomaly: a session the app recognised whose user, items or version disagree. */
import { isView } from '../history/ops.ts';
import { type Checker, ms, perOp } from './checker.ts';

/**
 * A session the app recognised but whose parts disagree: it lost (or changed) its user, or its items and
 * version no longer match (every add appends one item and bumps the version by one).
 */
export const partialSessionChecker = (): Checker =>
  perOp('partial-session', (op) => {
    if (!isView(op)) return null;
    const { user, items, version } = op.read;
    const problems: string[] = [];
    if (user !== op.user) problems.push(`user is ${JSON.stringify(user)}`);
    if (items.length !== version) problems.push(`${items.length} item(s) but version ${version}`);
    if (problems.length === 0) return null;
    return {
      kind: 'partial-session',
      user: op.user,
      at: op.end,
      message: `${op.op} at ${ms(op.start)} ms on ${op.node ?? '?'} showed a partial session: ${problems.join(', ')}`,
      witness: [op],
    };
  });
