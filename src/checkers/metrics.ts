import { isError, isNoSession } from '../history/ops.ts';
import type { LatencySummary, Timeline } from '../model/case.ts';
import type { Op } from '../model/op.ts';
import { percentile, round } from './stats.ts';

export function requestsByNode(history: Op[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const op of history) if (op.node) counts[op.node] = (counts[op.node] ?? 0) + 1;
  return Object.fromEntries(
    Object.entries(counts).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })),
  );
}

/** max / mean over nodes; 1 is perfectly even, 0 when nothing was served. */
export function imbalance(counts: Record<string, number>): number {
  const values = Object.values(counts);
  if (values.length === 0) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return mean === 0 ? 0 : round(Math.max(...values) / mean, 2);
}

export function latency(ops: Op[]): LatencySummary {
  const sorted = ops
    .filter((op) => op.outcome === 'ok')
    .map((op) => op.end - op.start)
    .sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

/** Requests per second per node, and logouts and errors per bucket, from the op start times. */
export function timeline(history: Op[], nodes: string[], bucketS = 1): Timeline {
  const lastMs = history.reduce((max, op) => Math.max(max, op.end), 0);
  const size = Math.max(1, Math.ceil(lastMs / 1000 / bucketS));
  const zeros = (): number[] => new Array<number>(size).fill(0);
  const result: Timeline = { bucketS, nodes: {}, logouts: zeros(), errors: zeros() };
  for (const node of nodes) result.nodes[node] = zeros();
  for (const op of history) {
    const bucket = Math.min(size - 1, Math.floor(op.start / 1000 / bucketS));
    if (op.node) {
      const series = result.nodes[op.node] ?? zeros();
      series[bucket] = (series[bucket] ?? 0) + 1 / bucketS;
      result.nodes[op.node] = series;
    }
    if (isNoSession(op)) result.logouts[bucket] = (result.logouts[bucket] ?? 0) + 1;
    if (isError(op)) result.errors[bucket] = (result.errors[bucket] ?? 0) + 1;
  }
  return result;
}
