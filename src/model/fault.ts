/** One line of a case's fault ledger (`faults.jsonl`): written before a fault is applied, and around its heal. */
export type LedgerEntry =
  | { event: 'inject'; id: number; kind: string; target: string; at: number; detail?: string }
  | { event: 'heal-start'; id: number; at: number }
  | { event: 'healed'; id: number; at: number }
  | { event: 'heal-failed'; id: number; at: number; error: string };

/** One injected fault, folded from the ledger; times in seconds since the workload started. */
export interface FaultRecord {
  kind: string;
  target: string;
  at: number;
  healedAt: number | null;
  detail?: string;
  /** Seconds from the fault to the first failed op (error or no session) that started while it was active. */
  firstFailureAfterS?: number | null;
  /** Seconds from the heal until the last failed op that started after it had ended; 0: recovered at once. */
  recoveredAfterS?: number | null;
}
