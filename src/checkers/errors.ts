/** The error anomaly: an op the app could not serve. */
import { isError } from '../history/ops.ts';
import { type Checker, ms, perOp } from './checker.ts';

/** 5xx responses, refused connections and timeouts: the app was unavailable for that op. */
export const errorChecker = (): Checker =>
  perOp('error', (op) =>
    isError(op)
      ? {
          kind: 'error',
          user: op.user,
          at: op.end,
          message: `${op.op} at ${ms(op.start)} ms ${op.status ? `got ${op.status}` : 'got no response'}${op.node ? ` from ${op.node}` : ''}${op.error ? `: ${op.error}` : ''}`,
          witness: [op],
        }
      : null,
  );
