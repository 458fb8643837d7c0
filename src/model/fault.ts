/** A fault a case planned, as its experiment resolved it (times in seconds since the workload started). */
export interface PlannedFault {
  /** Its index in the experiment's faults: the `id` of its ledger lines. */
  id: number;
  kind: string;
  target: string;
  atS: number;
  durationS: number;
  latencyMs?: number;
  jitterMs?: number;
  lossPercent?: number;
  reorderPercent?: number;
  rateKBps?: number;
}

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
  /** Its injection finished: what it touched, as the system reported it then. */
  | { event: 'injected'; id: number; at: number; touched: Touched }
  /** Whether the effect its kind must show was seen during its window, and the evidence either way. */
  | { event: 'effect'; id: number; at: number; observed: boolean; evidence: string }
  | { event: 'inject-failed'; id: number; at: number; error: string }
  | { event: 'heal-start'; id: number; at: number }
  | { event: 'healed'; id: number; at: number }
  | { event: 'heal-failed'; id: number; at: number; error: string };

/** One process a fault signalled, and what became of the signal. */
export interface TouchedProcess {
  service: string;
  /** null where the runtime cannot tell (a container on a remote engine). */
  pid: number | null;
  /** What was sent: SIGKILL, SIGSTOP, SIGTERM, or `start` for a process started by the fault. */
  signal: string;
  /** How the service stood once the injection finished, e.g. "was killed by SIGKILL", "running as 4321". */
  result: string;
}

/** What a fault touched, as the system reported it when its injection finished. */
export interface Touched {
  /** Links whose proxies it disabled or slowed, each as Toxiproxy showed it afterwards. */
  links?: { id: string; state: string }[];
  processes?: TouchedProcess[];
  /** Load balancer servers it set, with the state HAProxy reported afterwards. */
  loadBalancer?: { server: string; state: string }[];
  /** The store that was the primary (Sentinel's) before it acted. */
  primaryBefore?: string | null;
}

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
  /** When its injection finished (a drain takes seconds), and what it touched. */
  injectedAt?: number;
  touched?: Touched;
  /**
   * The effect its kind must show, looked for during its window: without `observed: true`, nothing in its
   * case can be decided.
   */
  effect?: { observed: boolean; at: number; evidence: string };
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
