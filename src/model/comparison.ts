/** Comparisons between runs: what changed in each case since a baseline, and its figures over recent runs. */
import type { Estimate } from './estimate.ts';
import type { Verdict } from './expectation.ts';

/** How a case's verdict moved since the baseline; `new` and `gone` for a case only one of the runs has. */
export type VerdictChange = 'regressed' | 'improved' | 'same' | 'new' | 'gone';

/** One metric of one case in both runs, and whether it got worse by the rule that applied. */
export interface MetricChange {
  metric: string;
  base: Estimate;
  now: Estimate;
  change: 'worse' | 'better' | 'same';
  /** intervals: both runs had repeats and their 95 % intervals do not overlap; single: the single-run rule. */
  rule: 'intervals' | 'single';
}

/** One experiment × strategy (× cluster size) in the baseline and in this run. */
export interface CaseComparison {
  experiment: string;
  strategy: string;
  appNodes?: number;
  baseVerdict: Verdict | null;
  verdict: Verdict | null;
  verdictChange: VerdictChange;
  metrics: MetricChange[];
  /** The verdict regressed or a metric got worse. */
  regressed: boolean;
}

/** `since the baseline`: what changed between an earlier run (the baseline) and this one. */
export interface Comparison {
  /** The baseline's folder as given, and when it started. */
  baseline: { dir: string; startedAt: string };
  cases: CaseComparison[];
  /** Cases that regressed. */
  regressions: number;
  /** Why the comparison could not be made (the baseline is unreadable); cases are then empty. */
  error?: string;
}

/** One earlier run's figures for one case, for the trend rows of the report. */
export interface TrendPoint {
  startedAt: string;
  verdict: Verdict;
  metrics: Record<string, number>;
}

/** One experiment × strategy over the last runs, oldest first, this run last. */
export interface Trend {
  experiment: string;
  strategy: string;
  appNodes?: number;
  points: TrendPoint[];
}
