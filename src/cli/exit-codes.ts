/** The command's exit codes (docs/report.md, "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** An expectation failed or could not be decided. */
  failed: 1,
  /** Bad input or usage: nothing was started. */
  usage: 2,
  /** The infrastructure could not be started. */
  infrastructure: 3,
  /** A bug in session-chaos itself: what it was doing is reported, with its stack. */
  internal: 4,
  interrupted: 130,
} as const;
