import { isFailure } from '../history/ops.ts';
import type { Anomaly } from '../model/anomaly.ts';
import type { FaultRecord } from '../model/fault.ts';
import type { Op } from '../model/op.ts';
import { LatencyHistogram } from './metrics.ts';

/** Times (ms) when faults were active; a fault never healed lasts to the end of the workload. */
export interface Window {
  from: number;
  to: number;
}

/** The windows of the faults that acted. */
export function faultWindows(faults: FaultRecord[], endMs: number): Window[] {
  return faults
    .filter((f) => f.status !== 'not-applied')
    .map((f) => ({ from: f.at * 1000, to: f.healedAt === null ? endMs : f.healedAt * 1000 }));
}

const inside = (t: number, windows: Window[]): boolean => windows.some((w) => t >= w.from && t <= w.to);
const round3 = (value: number): number => Math.round(value * 1000) / 1000;

export type Phase = 'before' | 'during' | 'after';

/** Per fault: the start of the first failed op while it was active, the end of the last one after its heal (ms). */
export interface FailureTimes {
  first: number[];
  lastEnd: number[];
}

/**
 * Fed op by op: latency of ok ops that started before the first fault, while one was active, and after the
 * last heal (final reads left out), and per fault the first failure and the last one after the heal.
 */
export class FaultTimes {
  readonly #windows: Window[];
  readonly #first: number;
  readonly #last: number;
  readonly phases = {
    before: new LatencyHistogram(),
    during: new LatencyHistogram(),
    after: new LatencyHistogram(),
  };
  readonly failures: FailureTimes;

  constructor(
    readonly faults: FaultRecord[],
    endMs: number,
  ) {
    this.#windows = faultWindows(faults, endMs);
    this.#first = this.#windows.reduce((min, w) => Math.min(min, w.from), Number.POSITIVE_INFINITY);
    this.#last = this.#windows.reduce((max, w) => Math.max(max, w.to), Number.NEGATIVE_INFINITY);
    this.failures = {
      first: faults.map(() => Number.POSITIVE_INFINITY),
      lastEnd: faults.map(() => Number.NEGATIVE_INFINITY),
    };
  }

  phaseOf(start: number): Phase | null {
    if (start < this.#first) return 'before';
    if (inside(start, this.#windows)) return 'during';
    return this.#windows.length > 0 && start > this.#last ? 'after' : null;
  }

  add(op: Op): void {
    if (!op.final && op.outcome === 'ok') {
      const phase = this.phaseOf(op.start);
      if (phase) this.phases[phase].add(op.end - op.start);
    }
    if (!isFailure(op)) return;
    const { first, lastEnd } = this.failures;
    this.faults.forEach((fault, i) => {
      const atMs = fault.at * 1000;
      const healMs = fault.healedAt === null ? null : fault.healedAt * 1000;
      const nextMs = (this.faults[i + 1]?.at ?? Number.POSITIVE_INFINITY) * 1000;
      if (op.start >= atMs && (healMs === null || op.start <= healMs))
        first[i] = Math.min(first[i] ?? Number.POSITIVE_INFINITY, op.start);
      if (healMs !== null && op.start > healMs && op.start < nextMs)
        lastEnd[i] = Math.max(lastEnd[i] ?? Number.NEGATIVE_INFINITY, op.end);
    });
  }
}

/** The failure times of disjoint sets of ops together. */
export const mergeFailureTimes = (all: FailureTimes[]): FailureTimes => ({
  first: (all[0]?.first ?? []).map((_, i) =>
    Math.min(...all.map((f) => f.first[i] ?? Number.POSITIVE_INFINITY)),
  ),
  lastEnd: (all[0]?.lastEnd ?? []).map((_, i) =>
    Math.max(...all.map((f) => f.lastEnd[i] ?? Number.NEGATIVE_INFINITY)),
  ),
});

/** Each fault with its times to the first failure, recovery, first anomaly and last anomaly after the heal. */
export function timedFaults(
  faults: FaultRecord[],
  failures: FailureTimes,
  anomalies: Anomaly[],
): FaultRecord[] {
  return faults.map((fault, i) => {
    if (fault.status === 'not-applied') return fault;
    const atMs = fault.at * 1000;
    const healMs = fault.healedAt === null ? null : fault.healedAt * 1000;
    const nextMs = (faults[i + 1]?.at ?? Number.POSITIVE_INFINITY) * 1000;
    const first = failures.first[i] ?? Number.POSITIVE_INFINITY;
    const lastEnd = failures.lastEnd[i] ?? Number.NEGATIVE_INFINITY;
    let firstSeen = Number.POSITIVE_INFINITY;
    let lastSeen = healMs ?? 0;
    for (const { at } of anomalies) {
      if (at < atMs || at >= nextMs) continue;
      firstSeen = Math.min(firstSeen, at);
      if (healMs !== null && at > healMs) lastSeen = Math.max(lastSeen, at);
    }
    return {
      ...fault,
      firstFailureAfterS: Number.isFinite(first) ? round3((first - atMs) / 1000) : null,
      recoveredAfterS: healMs === null ? null : round3(Math.max(0, lastEnd - healMs) / 1000),
      firstAnomalyAfterS: Number.isFinite(firstSeen) ? round3((firstSeen - atMs) / 1000) : null,
      lastAnomalyAfterHealS: healMs === null ? null : round3((lastSeen - healMs) / 1000),
    };
  });
}

/**
 * When an anomaly happened: while its detecting op was in flight, or for a lost write, when the write was
 * acknowledged. An op in flight when a fault began was hit by it, even if it started a moment before.
 */
export function anomalySpan(a: Anomaly): Window {
  if (a.kind === 'lost-write') {
    const ack = a.witness[0];
    return ack ? { from: ack.end, to: ack.end } : { from: a.at, to: a.at };
  }
  const op = a.witness.find((o) => o.end === a.at) ?? a.witness.at(-1);
  return op ? { from: op.start, to: op.end } : { from: a.at, to: a.at };
}

/** Anomalies whose span meets no fault window (each extended by a grace period after its heal). */
export function anomaliesOutsideFaults(anomalies: Anomaly[], windows: Window[], graceS: number): Anomaly[] {
  return anomalies.filter((a) => {
    const span = anomalySpan(a);
    return !windows.some((w) => span.from <= w.to + graceS * 1000 && span.to >= w.from);
  });
}
