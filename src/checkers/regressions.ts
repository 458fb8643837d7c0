/** Regressions: what got worse or better between a baseline run and this one, case by case. */
import type { CaseComparison, Comparison, MetricChange, VerdictChange } from '../model/comparison.ts';
import type { Estimate } from '../model/estimate.ts';
import type { Verdict } from '../model/expectation.ts';
import type { CaseAggregate, RunSummary } from '../model/run.ts';
import { caseKey } from './repeats.ts';

/**
 * The metrics compared, all of them worse when higher, with the single-run rule: a value is worse when it
 * exceeds the baseline's by more than `factor` × baseline + `slack`. Factors and slacks are set from the
 * spread of identical runs measured on 2 cores (docs/ci.md), so noise alone stays inside them.
 */
export const SINGLE_RUN_RULES: Record<string, { factor: number; slack: number; what: string }> = {
  loggedOutShare: { factor: 0, slack: 0.15, what: 'share of users logged out' },
  staleReads: { factor: 0.5, slack: 5, what: 'stale reads' },
  lostWrites: { factor: 0.5, slack: 5, what: 'lost writes' },
  lostUpdatesPer1000Writes: { factor: 1, slack: 20, what: 'lost updates per 1,000 writes' },
  partialSessions: { factor: 0.5, slack: 2, what: 'partial sessions' },
  errorShare: { factor: 1, slack: 0.01, what: 'share of ops that failed' },
  p50Ms: { factor: 1, slack: 20, what: 'median latency, ms' },
};

const RANK: Record<Verdict, number> = { pass: 0, unknown: 1, fail: 2 };

function verdictChange(base: Verdict | null, now: Verdict | null): VerdictChange {
  if (base === null) return 'new';
  if (now === null) return 'gone';
  if (RANK[now] > RANK[base]) return 'regressed';
  return RANK[now] < RANK[base] ? 'improved' : 'same';
}

/** Whether `now` is worse, better or the same as `base`: by the intervals when both have them, else by the rule. */
export function metricChange(metric: string, base: Estimate, now: Estimate): MetricChange {
  const intervals = base.low !== null && base.high !== null && now.low !== null && now.high !== null;
  if (intervals) {
    const change =
      (now.low ?? 0) > (base.high ?? 0) ? 'worse' : (now.high ?? 0) < (base.low ?? 0) ? 'better' : 'same';
    return { metric, base, now, change, rule: 'intervals' };
  }
  const rule = SINGLE_RUN_RULES[metric] ?? { factor: 0, slack: 0 };
  const margin = (value: number): number => rule.factor * value + rule.slack;
  const change =
    now.mean > base.mean + margin(base.mean)
      ? 'worse'
      : base.mean > now.mean + margin(now.mean)
        ? 'better'
        : 'same';
  return { metric, base, now, change, rule: 'single' };
}

function compareCase(base: CaseAggregate | undefined, now: CaseAggregate | undefined): CaseComparison {
  const either = (now ?? base) as CaseAggregate;
  const metrics = Object.keys(SINGLE_RUN_RULES).flatMap((name) => {
    const [b, n] = [base?.metrics[name], now?.metrics[name]];
    return b && n ? [metricChange(name, b, n)] : [];
  });
  const change = verdictChange(base?.verdict ?? null, now?.verdict ?? null);
  return {
    experiment: either.experiment,
    strategy: either.strategy,
    ...(either.appNodes === undefined ? {} : { appNodes: either.appNodes }),
    baseVerdict: base?.verdict ?? null,
    verdict: now?.verdict ?? null,
    verdictChange: change,
    metrics,
    regressed: change === 'regressed' || metrics.some((m) => m.change === 'worse'),
  };
}

/** Every case of either run, this run's order first: what changed since the baseline. */
export function compareRuns(base: RunSummary, now: RunSummary, baseDir: string): Comparison {
  const before = new Map(base.aggregates.map((a) => [caseKey(a), a]));
  const after = new Map(now.aggregates.map((a) => [caseKey(a), a]));
  const keys = [...new Set([...after.keys(), ...before.keys()])];
  const cases = keys.map((key) => compareCase(before.get(key), after.get(key)));
  return {
    baseline: { dir: baseDir, startedAt: base.startedAt },
    cases,
    regressions: cases.filter((c) => c.regressed).length,
  };
}
