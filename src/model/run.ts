import type { CaseResult } from './case.ts';
import type { Verdict } from './expectation.ts';

/** `run.json`: what a run was asked to do; written when it starts, again when it ends. */
export interface RunInfo {
  schema: 1;
  runtime: string;
  startedAt: string;
  finishedAt: string | null;
  seed: number;
  profile: string;
  command: string;
}

/**
 * A metric over the repeats of a case: the mean and a 95 % confidence interval from the spread between
 * repeats (Student's t over the per-repeat values, shares included), clamped to the metric's range. A
 * metric at the edge of its range in every repeat (0 everywhere; a share of 1 everywhere) gets the rule of
 * three's bound. With one repeat there is no interval (low = high = null).
 */
export interface Estimate {
  mean: number;
  low: number | null;
  high: number | null;
  method: 't' | 'rule-of-three';
}

/** One experiment × strategy over all its repeats (`--repeat N`). */
export interface CaseAggregate {
  experiment: string;
  strategy: string;
  appNodes?: number;
  repeats: number;
  /** fail if any repeat failed, else unknown if any was unknown, else pass. */
  verdict: Verdict;
  verdicts: Verdict[];
  /** The repeats did not all end with the same verdict. */
  flaky: boolean;
  metrics: Record<string, Estimate>;
  expectations: { name: string; passed: number; failed: number; unknown: number }[];
}

/** `summary.json`: every result of a run, as data. */
export interface RunSummary {
  schema: 1;
  runtime: string;
  startedAt: string;
  finishedAt: string;
  results: CaseResult[];
  /** Every experiment × strategy over its repeats. */
  aggregates: CaseAggregate[];
}

/** A run passes when it has cases and every one passed: a run folder without any case proved nothing. */
export const runPassed = (summary: RunSummary): boolean =>
  summary.results.length > 0 && summary.results.every((r) => r.verdict === 'pass');

/** The files of a run folder and of each case folder in it. */
export const RUN_FILES = {
  info: 'run.json',
  summary: 'summary.json',
  junit: 'junit.xml',
  html: 'index.html',
} as const;

export const CASE_FILES = {
  record: 'case.json',
  history: 'history.jsonl',
  faults: 'faults.jsonl',
  anomalies: 'anomalies.jsonl',
  cost: 'cost.json',
  logs: 'logs',
} as const;

/**
 * A case's folder inside its run folder: `<experiment>/<strategy>` (`all-to-all:sync` → `all-to-all-sync`),
 * `-n<nodes>` when the experiment runs several cluster sizes, `-r<N>` for repeats after the first.
 */
export const caseDirName = (experiment: string, strategy: string, repeat: number, nodes?: number): string =>
  `${experiment}/${strategy.replaceAll(':', '-')}${nodes === undefined ? '' : `-n${nodes}`}${repeat === 0 ? '' : `-r${repeat}`}`;
