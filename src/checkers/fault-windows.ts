/** Faults in time: when each acted, latency around them, when users recovered, anomalies outside them. */
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

/** Ops by the second after a heal (by start): how many worked, how many failed, when the last failure ended. */
export interface AfterHeal {
  ok: number[];
  failed: number[];
  lastFailureEnd: number[];
}

/** Per fault: the start of the first failed op while it was active (ms), and its seconds after the heal. */
export interface FailureTimes {
  first: number[];
  /** Per fault: the end of the last failed op that started while it was active (ms). */
  lastInWindow: number[];
  afterHeal: AfterHeal[];
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
  /** Per fault, when the next fault that acted began (ms): each fault's own time ends there. */
  readonly #nextMs: number[];

  constructor(
    readonly faults: FaultRecord[],
    endMs: number,
  ) {
    this.#windows = faultWindows(faults, endMs);
    this.#nextMs = faults.map((_, i) => nextFaultMs(faults, i));
    this.#first = this.#windows.reduce((min, w) => Math.min(min, w.from), Number.POSITIVE_INFINITY);
    this.#last = this.#windows.reduce((max, w) => Math.max(max, w.to), Number.NEGATIVE_INFINITY);
    const seconds = Math.ceil(endMs / 1000) + 60;
    const zeros = (): number[] => new Array<number>(seconds).fill(0);
    this.failures = {
      first: faults.map(() => Number.POSITIVE_INFINITY),
      lastInWindow: faults.map(() => Number.NEGATIVE_INFINITY),
      afterHeal: faults.map(() => ({ ok: zeros(), failed: zeros(), lastFailureEnd: zeros() })),
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
    const failed = isFailure(op);
    const { first, lastInWindow, afterHeal } = this.failures;
    this.faults.forEach((fault, i) => {
      const atMs = fault.at * 1000;
      const healMs = fault.healedAt === null ? null : fault.healedAt * 1000;
      const nextMs = this.#nextMs[i] ?? Number.POSITIVE_INFINITY;
      if (failed && op.start >= atMs && (healMs === null || op.start <= healMs)) {
        first[i] = Math.min(first[i] ?? Number.POSITIVE_INFINITY, op.start);
        lastInWindow[i] = Math.max(lastInWindow[i] ?? Number.NEGATIVE_INFINITY, op.end);
      }
      const after = afterHeal[i];
      if (healMs === null || !after || op.start <= healMs || op.start >= nextMs) return;
      const second = Math.min(after.ok.length - 1, Math.floor((op.start - healMs) / 1000));
      if (!failed) after.ok[second] = (after.ok[second] ?? 0) + 1;
      else {
        after.failed[second] = (after.failed[second] ?? 0) + 1;
        after.lastFailureEnd[second] = Math.max(after.lastFailureEnd[second] ?? 0, op.end);
      }
    });
  }
}

/** The failure times of disjoint sets of ops together. */
export function mergeFailureTimes(all: FailureTimes[]): FailureTimes {
  const [head, ...rest] = all;
  if (!head) return { first: [], lastInWindow: [], afterHeal: [] };
  const add = (a: number[], b: number[]): number[] => a.map((v, k) => v + (b[k] ?? 0));
  const max = (a: number[], b: number[]): number[] => a.map((v, k) => Math.max(v, b[k] ?? 0));
  const merge = (a: AfterHeal, b: AfterHeal): AfterHeal => ({
    ok: add(a.ok, b.ok),
    failed: add(a.failed, b.failed),
    lastFailureEnd: max(a.lastFailureEnd, b.lastFailureEnd),
  });
  return rest.reduce(
    (acc, f) => ({
      first: acc.first.map((v, i) => Math.min(v, f.first[i] ?? Number.POSITIVE_INFINITY)),
      lastInWindow: acc.lastInWindow.map((v, i) =>
        Math.max(v, f.lastInWindow[i] ?? Number.NEGATIVE_INFINITY),
      ),
      afterHeal: acc.afterHeal.map((a, i) => (f.afterHeal[i] ? merge(a, f.afterHeal[i]) : a)),
    }),
    head,
  );
}

/**
 * When users were well again after a heal: the end of the last failed op before the first whole second
 * after the heal in which ops worked and none failed (later failures are not this fault's). The heal
 * itself when nothing failed after it.
 */
export function recoveredAt(after: AfterHeal, healMs: number): number {
  let last = healMs;
  for (let k = 0; k < after.ok.length; k += 1) {
    if ((after.ok[k] ?? 0) > 0 && (after.failed[k] ?? 0) === 0) break;
    last = Math.max(last, after.lastFailureEnd[k] ?? 0);
  }
  return last;
}

/** When the next fault that acted began after fault `i` (ms; infinity when none): its window ends there. */
function nextFaultMs(faults: FaultRecord[], i: number): number {
  const at = faults[i]?.at ?? 0;
  const later = faults.filter((f) => f.status !== 'not-applied' && f.at > at).map((f) => f.at * 1000);
  return Math.min(Number.POSITIVE_INFINITY, ...later);
}

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
    const nextMs = nextFaultMs(faults, i);
    const first = failures.first[i] ?? Number.POSITIVE_INFINITY;
    const after = failures.afterHeal[i];
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
      failingForS: Number.isFinite(first) ? round3(((failures.lastInWindow[i] ?? first) - first) / 1000) : 0,
      recoveredAfterS:
        healMs === null || !after ? null : round3((recoveredAt(after, healMs) - healMs) / 1000),
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
