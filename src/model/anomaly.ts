import type { Op } from './op.ts';

/** What the checkers find in a history (see README, "What counts as what"). */
export type AnomalyKind = 'logout' | 'stale-read' | 'lost-write' | 'partial-session' | 'error';

export interface Anomaly {
  kind: AnomalyKind;
  user: string;
  /** Milliseconds since the start of the workload: when the anomaly was observed. */
  at: number;
  /** One sentence a person can read, e.g. "read missed item u3-7 acknowledged at 1203 ms". */
  message: string;
  /** The minimal set of ops that prove it, in time order. */
  witness: Op[];
}
