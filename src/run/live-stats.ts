/** The counts a running case shows on its progress line: ops, logouts, errors. */
import { isError, isNoSession } from '../history/ops.ts';
import type { Op } from '../model/op.ts';

/** Running counts over the ops recorded so far, for the progress line. */
export class LiveCounts {
  ops = 0;
  logouts = 0;
  errors = 0;

  add(op: Op): void {
    this.ops += 1;
    if (isNoSession(op)) this.logouts += 1;
    if (isError(op)) this.errors += 1;
  }
}
