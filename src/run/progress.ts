/** What a running case reports as it goes; the CLI draws it, tests can ignore it. */
export interface LiveStats {
  elapsedS: number;
  durationS: number;
  ops: number;
  logouts: number;
  errors: number;
  activeFaults: number;
}

export interface Progress {
  caseStarted(label: string): void;
  /** A step of the case: "starting the cluster", "final reads", ... */
  phase(label: string, text: string): void;
  tick(label: string, stats: LiveStats): void;
  /** Something worth a line of its own: a fault injected or healed. */
  event(label: string, message: string): void;
  caseFinished(label: string, outcome: string): void;
}
