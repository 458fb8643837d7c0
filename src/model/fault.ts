/** One line of a case's fault ledger (`faults.jsonl`): written before a fault acts, and as it heals. */
export type LedgerEntry =
  | {
      event: 'inject';
      id: number;
      kind: string;
      target: string;
      at: number;
      /** When it was due (seconds): `at` minus this is how late the runner applied it. */
      scheduledAt?: number;
      detail?: string;
    }
  /** The fault could not be aimed (e.g. its target did not exist): it never acted. */
  | {
      event: 'skipped';
      id: number;
      kind: string;
      target: string;
      at: number;
      scheduledAt?: number;
      error: string;
    }
  | { event: 'inject-failed'; id: number; at: number; error: string }
  | { event: 'heal-start'; id: number; at: number }
  | { event: 'healed'; id: number; at: number }
  | { event: 'heal-failed'; id: number; at: number; error: string };

/** healed: applied, then undone; not-healed: applied, never undone; not-applied: never acted. */
export type FaultStatus = 'healed' | 'not-healed' | 'not-applied';

/** One scheduled fault, folded from the ledger; times in seconds since the workload started. */
export interface FaultRecord {
  kind: string;
  target: string;
  at: number;
  /** How long after its scheduled time it was applied, ms (absent in ledgers from before it was recorded). */
  lateMs?: number;
  /** When its heal finished (the cluster was whole again); null when it never did. */
  healedAt: number | null;
  status: FaultStatus;
  detail?: string;
  /** Why it was not applied or not healed. */
  error?: string;
  /** Seconds from the fault to the first failed op (error or no session) that started while it was active. */
  firstFailureAfterS?: number | null;
  /** Seconds from the heal until the end of the last failed op that started after it; 0: recovered at once. */
  recoveredAfterS?: number | null;
  /** Seconds users saw failures while it was active: the first failed op's start to the last one's end. */
  failingForS?: number | null;
  /** Seconds from the fault to the first anomaly of any kind whose op was in flight while it was active. */
  firstAnomalyAfterS?: number | null;
  /** Seconds from the heal to the last anomaly that started after it (before the next fault); 0: none. */
  lastAnomalyAfterHealS?: number | null;
}
