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
