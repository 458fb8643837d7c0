import { isError } from '../history/ops.ts';
import type { Anomaly } from '../model/anomaly.ts';
import type { Op } from '../model/op.ts';

/** 5xx responses, refused connections and timeouts: the app was unavailable for that op. */
export function checkErrors(history: Op[]): Anomaly[] {
  return history.filter(isError).map((op) => ({
    kind: 'error' as const,
    user: op.user,
    at: op.end,
    message: `${op.op} at ${Math.round(op.start)} ms ${op.status ? `got ${op.status}` : 'got no response'}${op.node ? ` from ${op.node}` : ''}${op.error ? `: ${op.error}` : ''}`,
    witness: [op],
  }));
}
