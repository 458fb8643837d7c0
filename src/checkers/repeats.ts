/** Repeats of a case taken together: the verdict over all, flakiness, and each metric with its interval. */
import type { AnomalyKind } from '../model/anomaly.ts';
import { type CaseResult, perThousandWrites } from '../model/case.ts';
import type { CaseAggregate, Estimate } from '../model/run.ts';
import { type MetricRange, repeatInterval } from './intervals.ts';
import { verdictOf } from './judge.ts';

const COUNTS = [
  'ops',
  'logouts',
  'loggedOutUsers',
  'staleReads',
  'staleWrites',
  'monotonicWrites',
  'writesFollowReads',
  'lostWrites',
  'undecidedUsers',
  'undecidedWrites',
  'partialSessions',
  'errors',
  'imbalance',
] as const;

/** Each metric's per-repeat values, with the range they lie in: every interval is over repeats. */
function metrics(results: CaseResult[]): Record<string, Estimate> {
  const over = (pick: (r: CaseResult) => number, range: MetricRange = 'count'): Estimate =>
    repeatInterval(results.map(pick), range, range === 'share' ? 4 : 3);
  const estimates: Record<string, Estimate> = {};
  for (const name of COUNTS) estimates[name] = over((r) => r[name]);
  estimates.p50Ms = over((r) => r.latency.p50);
  estimates.p99Ms = over((r) => r.latency.p99);
  estimates.loggedOutShare = over((r) => (r.users ? r.loggedOutUsers / r.users : 0), 'share');
  estimates.errorShare = over((r) => (r.ops ? r.errors / r.ops : 0), 'share');
  estimates.lostUpdates = over((r) => r.lostUpdates ?? 0);
  estimates.lostUpdatesPer1000Writes = over((r) => perThousandWrites(r.lostUpdates ?? 0, r.writes));
  for (const figure of ['p50RiseMs', 'recoveryS', 'outageS'] as const) {
    const measured = results.filter((r) => typeof r.faultFigures?.[figure] === 'number');
    if (measured.length === results.length) estimates[figure] = over((r) => r.faultFigures?.[figure] ?? 0);
  }
  const kinds = new Set(results.flatMap((r) => Object.keys(r.exposure))) as Set<AnomalyKind>;
  for (const kind of kinds) estimates[`exposure:${kind}`] = over((r) => r.exposure[kind] ?? 0, 'share');
  return estimates;
}

/** What makes one experiment × strategy (× cluster size): its repeats share it, and so do runs compared. */
export const caseKey = (c: { experiment: string; strategy: string; appNodes?: number }): string =>
  `${c.experiment}\u0000${c.strategy}\u0000${c.appNodes ?? ''}`;

/** Every experiment × strategy over its repeats: verdict over all, flakiness, metrics with intervals. */
export function aggregateRepeats(results: CaseResult[]): CaseAggregate[] {
  const groups = new Map<string, CaseResult[]>();
  for (const r of results) {
    const key = caseKey(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group as [CaseResult];
    const verdicts = group.map((r) => r.verdict);
    const names = [...new Set(group.flatMap((r) => r.expectations.map((e) => e.name)))];
    return {
      experiment: first.experiment,
      strategy: first.strategy,
      ...(first.appNodes === undefined ? {} : { appNodes: first.appNodes }),
      repeats: group.length,
      verdict: verdictOf(verdicts.map((v) => (v === 'pass' ? true : v === 'fail' ? false : null))),
      verdicts,
      flaky: new Set(verdicts).size > 1,
      metrics: metrics(group),
      expectations: names.map((name) => {
        const oks = group.map((r) => r.expectations.find((e) => e.name === name)?.ok ?? null);
        const count = (ok: boolean | null): number => oks.filter((o) => o === ok).length;
        return { name, passed: count(true), failed: count(false), unknown: count(null) };
      }),
    };
  });
}
