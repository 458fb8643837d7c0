import { isError, isNoSession } from '../history/ops.ts';
import type { Anomaly } from '../model/anomaly.ts';
import type { LatencySummary } from '../model/case.ts';
import type { FaultRecord } from '../model/fault.ts';
import type { Op } from '../model/op.ts';
import { latency } from './metrics.ts';

/** Times (ms) when faults were active; an unhealed fault lasts to the end of the history. */
export interface Window {
  from: number;
  to: number;
}

export function faultWindows(faults: FaultRecord[], endMs: number): Window[] {
  return faults.map((f) => ({ from: f.at * 1000, to: f.healedAt === null ? endMs : f.healedAt * 1000 }));
}

const inside = (t: number, windows: Window[], graceMs = 0): boolean =>
  windows.some((w) => t >= w.from && t <= w.to + graceMs);

export interface PhaseLatency {
  /** Ops that started before the first fault. */
  before: LatencySummary;
  /** Ops that started while a fault was active. */
  during: LatencySummary;
  /** Ops that started after the last heal (final reads excluded). */
  after: LatencySummary;
}

export function latencyByPhase(history: Op[], faults: FaultRecord[]): PhaseLatency {
  const ops = history.filter((op) => !op.final);
  const windows = faultWindows(faults, Math.max(0, ...ops.map((op) => op.end)));
  const first = Math.min(...windows.map((w) => w.from));
  const last = Math.max(...windows.map((w) => w.to));
  return {
    before: latency(ops.filter((op) => op.start < first)),
    during: latency(ops.filter((op) => inside(op.start, windows))),
    after: latency(ops.filter((op) => windows.length > 0 && op.start > last)),
  };
}

/** An op a user experienced as a failure: an error, or no session. */
const failed = (op: Op): boolean => isError(op) || isNoSession(op);

/**
 * Per fault: seconds from the fault to the first failed op that started inside it, and seconds from the
 * heal until the last failed op that started after it (up to the next fault) had ended: 0 when every op
 * after the heal worked.
 */
export function withRecovery(faults: FaultRecord[], history: Op[]): FaultRecord[] {
  const failures = history.filter(failed);
  return faults.map((fault, i) => {
    const atMs = fault.at * 1000;
    const healMs = fault.healedAt === null ? null : fault.healedAt * 1000;
    const first = failures.find((op) => op.start >= atMs && (healMs === null || op.start <= healMs));
    const nextMs = (faults[i + 1]?.at ?? Number.POSITIVE_INFINITY) * 1000;
    const late = healMs === null ? [] : failures.filter((op) => op.start > healMs && op.start < nextMs);
    const lastEnd = Math.max(healMs ?? 0, ...late.map((op) => op.end));
    return {
      ...fault,
      firstFailureAfterS: first ? round3((first.start - atMs) / 1000) : null,
      recoveredAfterS: healMs === null ? null : round3((lastEnd - healMs) / 1000),
    };
  });
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * When an anomaly happened: while its detecting op was in flight, or for a lost write, when the write was
 * acknowledged. An op in flight when a fault began was hit by it, even if it started a moment before.
 */
export function anomalySpan(a: Anomaly): Window {
  const op = a.kind === 'lost-write' ? a.witness[0] : a.witness.at(-1);
  if (!op) return { from: a.at, to: a.at };
  return a.kind === 'lost-write' ? { from: op.end, to: op.end } : { from: op.start, to: op.end };
}

/** Anomalies whose span meets no fault window (each extended by a grace period after its heal). */
export function anomaliesOutsideFaults(
  anomalies: Anomaly[],
  faults: FaultRecord[],
  graceS: number,
  endMs: number,
): Anomaly[] {
  const windows = faultWindows(faults, endMs);
  return anomalies.filter((a) => {
    const span = anomalySpan(a);
    return !windows.some((w) => span.from <= w.to + graceS * 1000 && span.to >= w.from);
  });
}
