/** Where a case's time went, phase by phase, and how late the runner's event loop ran meanwhile. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loopLag } from '../history/clock.ts';
import type { CasePhase, CaseTiming, LoopLag } from '../model/case.ts';

/**
 * Where a case's time goes, phase by phase, and how late the runner's own event loop ran during the
 * workload: a reader can tell a cost of the strategy from the runner's overhead and noise.
 */
export class CaseTimer {
  readonly #phases: Partial<Record<CasePhase, number>> = {};
  readonly #lag = monitorEventLoopDelay({ resolution: 10 });
  readonly #threads: Record<string, LoopLag> = {};
  #phase: CasePhase | null = null;
  #since = performance.now();

  /** The phase it is in now, if any. */
  get phase(): CasePhase | null {
    return this.#phase;
  }

  /** Ends the current phase (if any) and starts `phase`. */
  enter(phase: CasePhase): void {
    this.#close();
    this.#phase = phase;
    if (phase === 'workload') this.#lag.enable();
  }

  #close(): void {
    const now = performance.now();
    if (this.#phase)
      this.#phases[this.#phase] = (this.#phases[this.#phase] ?? 0) + (now - this.#since) / 1000;
    if (this.#phase === 'workload') this.#lag.disable();
    this.#since = now;
  }

  /** Another thread's event-loop delay during the workload, as it measured it. */
  threadLag(thread: string, lag: LoopLag | null): void {
    if (lag) this.#threads[thread] = lag;
  }

  /** The phases so far (seconds, to the ms) and each thread's event-loop delay during the workload (ms). */
  timing(): CaseTiming {
    this.#close();
    this.#phase = null;
    const phasesS = Object.fromEntries(
      Object.entries(this.#phases).map(([phase, s]) => [phase, Math.round(s * 1000) / 1000]),
    );
    const runner = loopLag(this.#lag);
    return { phasesS, eventLoopLagMs: { ...(runner ? { runner } : {}), ...this.#threads } };
  }
}
