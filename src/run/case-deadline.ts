/** How long a case may take; one that takes longer is stopped and given up, and the run goes on. */
import { InfrastructureError } from '../runtime/runtime.ts';

/** Set (seconds) to give every case this deadline instead of the one derived from its profile: for tests. */
export const DEADLINE_ENV = 'SESSION_CHAOS_CASE_DEADLINE_S';

/**
 * How long a whole case may take, from its profile: twice its workload, plus the longest a healthy start,
 * heal, final reads and stop take on a busy machine (3 minutes), plus per app node 15 s (45 s for Tomcat,
 * whose nodes start one after another and each restart rejoins its cluster).
 */
export function caseDeadlineS(durationS: number, appNodes: number, tomcat: boolean): number {
  const override = Number(process.env[DEADLINE_ENV]);
  if (Number.isFinite(override) && override > 0) return override;
  return Math.ceil(2 * durationS + 180 + (tomcat ? 45 : 15) * appNodes);
}

/**
 * How long a case is expected to take, to balance shards: its workload plus start, heal, final reads and
 * stop. Measured on 2 cores (docs/ci.md): about 6 s beyond the workload, a Tomcat node 1.5 s
 * more than a Node one.
 */
export const expectedCaseS = (durationS: number, appNodes: number, tomcat: boolean): number =>
  durationS + 6 + (tomcat ? 2 : 0.5) * appNodes;

/** After the deadline, how long the case's own steps get to wind down (they are told to stop) before it is given up. */
const WIND_DOWN_MS = 30_000;

/**
 * A case's deadline. Its signal aborts when the run is interrupted or the deadline passes, so every step
 * that listens stops; `bound` gives up on the case if it still has not ended a while later, naming the
 * phase it hung in, and the run goes on with the next case.
 */
export class CaseDeadline {
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout;
  #expired = false;

  constructor(
    readonly seconds: number,
    interrupted: AbortSignal,
  ) {
    const abort = (): void => this.#controller.abort();
    interrupted.addEventListener('abort', abort, { once: true });
    if (interrupted.aborted) abort();
    this.#timer = setTimeout(() => {
      this.#expired = true;
      abort();
    }, seconds * 1000);
  }

  /** Aborted on interruption or at the deadline. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the deadline passed (rather than the run being interrupted). */
  get expired(): boolean {
    return this.#expired;
  }

  /** Why the case ended at its deadline, naming the phase it was in. */
  reason(phase: string): string {
    return `the case did not finish within ${this.seconds} s (its deadline, from its profile): it hung in ${phase}`;
  }

  /**
   * Waits for the case's work; if the deadline passed and the work still has not ended after winding down,
   * gives up on it with an InfrastructureError (`giveUp` first stops what it can).
   */
  async bound<T>(work: Promise<T>, phase: () => string, giveUp: () => Promise<void>): Promise<T> {
    let windDown: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      const onExpiry = (): void => {
        if (!this.#expired) return;
        const where = phase();
        windDown = setTimeout(() => {
          giveUp().finally(() => reject(new InfrastructureError(this.reason(where))));
        }, WIND_DOWN_MS);
      };
      this.signal.addEventListener('abort', onExpiry, { once: true });
    });
    try {
      return await Promise.race([work, hung]);
    } finally {
      clearTimeout(windDown);
      clearTimeout(this.#timer);
    }
  }
}
