/** Anomalies: the kinds of thing the checkers find wrong in a history, each with the ops that witness it. */
import type { Op } from './op.ts';

/** What the checkers find in a history (see docs/report.md, "What counts as what"). */
export const ANOMALY_KINDS = [
  'logout',
  'stale-read',
  'monotonic-writes',
  'writes-follow-reads',
  'lost-write',
  'lost-update',
  'partial-session',
  'error',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** The session guarantees of Terry et al. (1994) a view can break. */
export type SessionGuarantee =
  | 'read-your-writes'
  | 'monotonic-reads'
  | 'monotonic-writes'
  | 'writes-follow-reads';

export interface Anomaly {
  kind: AnomalyKind;
  user: string;
  /** Milliseconds since the start of the workload: when the anomaly was observed. */
  at: number;
  /** One sentence a person can read, e.g. "read missed item u3-7 acknowledged at 1203 ms". */
  message: string;
  /** The minimal set of ops that prove it, in time order. */
  witness: Op[];
  /** For views that broke a session guarantee: which one. */
  guarantee?: SessionGuarantee;
  /** For stale views: how long before the view started the oldest missing write was acknowledged (or seen). */
  stalenessMs?: number;
}
