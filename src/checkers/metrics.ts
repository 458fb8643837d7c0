/** A case's metrics beyond anomalies: latency, load per node and its imbalance, timeline, scale-out share. */
import { isError, isNoSession } from '../history/ops.ts';
import type { LatencySummary, Timeline } from '../model/case.ts';
import type { FaultRecord } from '../model/fault.ts';
import type { Op } from '../model/op.ts';
import { round } from './stats.ts';

/**
 * Latencies in a histogram: 0.1 ms steps below 100 ms, 1 % steps above, so percentiles of any number of ops
 * take constant memory. A percentile is the upper edge of its step (≤ 0.1 ms or 1 % above the true value).
 */
export interface HistogramState {
  buckets: [number, number][];
  count: number;
  max: number;
}

export class LatencyHistogram {
  static readonly #FINE = 1000;
  static readonly #GROWTH = Math.log(1.01);
  readonly #counts = new Map<number, number>();
  #count = 0;
  #max = 0;

  /** Plain data, to send to another thread or to merge. */
  state(): HistogramState {
    return { buckets: [...this.#counts], count: this.#count, max: this.#max };
  }

  /** A histogram of every latency in the given states. */
  static merged(states: HistogramState[]): LatencyHistogram {
    const h = new LatencyHistogram();
    for (const s of states) {
      for (const [bucket, n] of s.buckets) h.#counts.set(bucket, (h.#counts.get(bucket) ?? 0) + n);
      h.#count += s.count;
      h.#max = Math.max(h.#max, s.max);
    }
    return h;
  }

  add(ms: number): void {
    const v = Math.max(0, ms);
    const bucket =
      v < 100
        ? Math.floor(v * 10)
        : LatencyHistogram.#FINE + Math.floor(Math.log(v / 100) / LatencyHistogram.#GROWTH);
    this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + 1);
    this.#count += 1;
    this.#max = Math.max(this.#max, v);
  }

  static #upper(bucket: number): number {
    if (bucket < LatencyHistogram.#FINE) return (bucket + 1) / 10;
    return 100 * Math.exp((bucket - LatencyHistogram.#FINE + 1) * LatencyHistogram.#GROWTH);
  }

  percentile(p: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.#count));
    let seen = 0;
    for (const bucket of [...this.#counts.keys()].sort((a, b) => a - b)) {
      seen += this.#counts.get(bucket) ?? 0;
      if (seen >= rank) return Math.min(this.#max, LatencyHistogram.#upper(bucket));
    }
    return this.#max;
  }

  summary(): LatencySummary {
    return {
      count: this.#count,
      p50: round(this.percentile(50)),
      p90: round(this.percentile(90)),
      p99: round(this.percentile(99)),
      max: round(this.#max),
    };
  }
}

/** Latency of ok ops. */
export function latency(ops: Iterable<Op>): LatencySummary {
  const histogram = new LatencyHistogram();
  for (const op of ops) if (op.outcome === 'ok') histogram.add(op.end - op.start);
  return histogram.summary();
}

/** max / mean over nodes; 1 is perfectly even, 0 when nothing was served. */
export function imbalance(counts: Record<string, number>): number {
  const values = Object.values(counts);
  if (values.length === 0) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return mean === 0 ? 0 : round(Math.max(...values) / mean, 2);
}

/** Ops per node, sorted by node id. */
export function sortedByNode(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
}

/**
 * Requests per second per node, and logouts and errors per bucket, from op start times. Its length is set by
 * the case's duration (plus the final reads), whatever times a history holds.
 */
export class TimelineBuilder {
  readonly #size: number;
  readonly #timeline: Timeline;

  constructor(
    nodes: string[],
    durationS: number,
    readonly bucketS = 1,
  ) {
    this.#size = Math.max(1, Math.ceil((durationS + 60) / bucketS));
    this.#timeline = { bucketS, nodes: {}, logouts: this.#zeros(), errors: this.#zeros() };
    for (const node of nodes) this.#timeline.nodes[node] = this.#zeros();
  }

  #zeros(): number[] {
    return new Array<number>(this.#size).fill(0);
  }

  add(op: Op): void {
    const bucket = Math.min(this.#size - 1, Math.max(0, Math.floor(op.start / 1000 / this.bucketS)));
    const t = this.#timeline;
    if (op.node) {
      t.nodes[op.node] ??= this.#zeros();
      const series = t.nodes[op.node] as number[];
      series[bucket] = (series[bucket] ?? 0) + 1 / this.bucketS;
    }
    if (isNoSession(op)) t.logouts[bucket] = (t.logouts[bucket] ?? 0) + 1;
    if (isError(op)) t.errors[bucket] = (t.errors[bucket] ?? 0) + 1;
  }

  /** The whole timeline as plain data, to merge with others (see trimTimeline). */
  state(): Timeline {
    return this.#timeline;
  }
}

/**
 * The share of requests the nodes added by a scale-out served from the second after each was added to the
 * end of the workload (an added node stays): about 1/n when load spreads at once,
 * near 0 when users stay pinned to the nodes they had. Null when no scale-out acted.
 */
export function addedNodeShare(timeline: Timeline, faults: FaultRecord[], durationS: number): number | null {
  let added = 0;
  let all = 0;
  for (const f of faults) {
    if (f.kind !== 'scale-out' || f.status === 'not-applied') continue;
    const from = Math.ceil(f.at / timeline.bucketS);
    const to = Math.floor(durationS / timeline.bucketS);
    for (let b = from; b < to; b += 1) {
      added += timeline.nodes[f.target]?.[b] ?? 0;
      for (const series of Object.values(timeline.nodes)) all += series[b] ?? 0;
    }
  }
  return all === 0 ? null : round(added / all, 3);
}

/** Timelines of disjoint sets of ops added up. */
export function mergeTimelines([first, ...rest]: Timeline[]): Timeline {
  if (!first) return { bucketS: 1, nodes: {}, logouts: [], errors: [] };
  const sum = (a: number[], b: number[] = []): number[] => a.map((v, i) => v + (b[i] ?? 0));
  return rest.reduce(
    (acc, t) => ({
      bucketS: acc.bucketS,
      nodes: Object.fromEntries(
        [...new Set([...Object.keys(acc.nodes), ...Object.keys(t.nodes)])].map((n) => [
          n,
          sum(acc.nodes[n] ?? new Array<number>(acc.logouts.length).fill(0), t.nodes[n]),
        ]),
      ),
      logouts: sum(acc.logouts, t.logouts),
      errors: sum(acc.errors, t.errors),
    }),
    first,
  );
}

/** The timeline up to the last bucket anything happened in. */
export function trimTimeline(t: Timeline): Timeline {
  const series = [...Object.values(t.nodes), t.logouts, t.errors];
  const used = Math.max(1, ...series.map((s) => s.findLastIndex((v) => v > 0) + 1));
  const cut = (s: number[]): number[] => s.slice(0, used);
  return {
    bucketS: t.bucketS,
    nodes: Object.fromEntries(Object.entries(t.nodes).map(([node, s]) => [node, cut(s)])),
    logouts: cut(t.logouts),
    errors: cut(t.errors),
  };
}
