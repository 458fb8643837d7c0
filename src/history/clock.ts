/** The time base of a case's history and faults, and how late an event loop ran. */
import type { IntervalHistogram } from 'node:perf_hooks';
import type { LoopLag } from '../model/case.ts';

/** An event-loop delay histogram (ns) as ms percentiles; null when it measured nothing. */
export function loopLag(histogram: IntervalHistogram): LoopLag | null {
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  if (histogram.count === 0) return null;
  return { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
}

/** Milliseconds since the start of one experiment's workload: the time base of histories and faults. */
export class WorkloadClock {
  #origin = performance.now();

  /** Starts counting from now: called when the users begin to work. */
  reset(): void {
    this.#origin = performance.now();
  }

  now(): number {
    return performance.now() - this.#origin;
  }

  /** Its origin as a wall-clock time (ms since 1970): how another thread's clock shares this one's origin. */
  epochOrigin(): number {
    return performance.timeOrigin + this.#origin;
  }

  /** Starts counting from another clock's origin (see epochOrigin), read on this thread's monotonic clock. */
  startAt(epochOrigin: number): void {
    this.#origin = epochOrigin - performance.timeOrigin;
  }

  /** A wall-clock time (ms since 1970, as browsers report request timings) on this clock. */
  fromEpochMs(epochMs: number): number {
    return epochMs - performance.timeOrigin - this.#origin;
  }
}
