/** Trends: each case's key figures over the last runs, for the report. */
import type { Trend, TrendPoint } from '../model/comparison.ts';
import type { CaseAggregate, RunSummary } from '../model/run.ts';
import { caseKey } from './repeats.ts';

/** The figures a trend row follows over runs. */
export const TREND_METRICS = ['loggedOutShare', 'staleReads', 'lostWrites', 'errorShare', 'p50Ms'] as const;

/** Runs shown per trend row: this one and up to this many before it. */
export const TREND_RUNS = 10;

const pointOf = (startedAt: string, a: CaseAggregate): TrendPoint => ({
  startedAt,
  verdict: a.verdict,
  metrics: Object.fromEntries(TREND_METRICS.flatMap((m) => (a.metrics[m] ? [[m, a.metrics[m].mean]] : []))),
});

/**
 * Each case of this run over the earlier runs that have it (the last TREND_RUNS by start time, runs that
 * started after this one left out), oldest first and this run last.
 */
export function trendsOf(earlier: RunSummary[], now: RunSummary): Trend[] {
  const before = earlier
    .filter((s) => s.startedAt < now.startedAt)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .slice(-TREND_RUNS);
  return now.aggregates.map((a) => {
    const past = before.flatMap((s) => {
      const same = s.aggregates.find((b) => caseKey(b) === caseKey(a));
      return same ? [pointOf(s.startedAt, same)] : [];
    });
    return {
      experiment: a.experiment,
      strategy: a.strategy,
      ...(a.appNodes === undefined ? {} : { appNodes: a.appNodes }),
      points: [...past, pointOf(now.startedAt, a)],
    };
  });
}
