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

  /** A wall-clock time (ms since 1970, as browsers report request timings) on this clock. */
  fromEpochMs(epochMs: number): number {
    return epochMs - performance.timeOrigin - this.#origin;
  }
}
