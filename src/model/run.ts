import type { CaseResult } from './case.ts';
import type { Verdict } from './expectation.ts';

/** One case a run set out to run: where its folder will be. */
export interface PlannedCaseInfo {
  experiment: string;
  strategy: string;
  repeat: number;
  appNodes?: number;
  dir: string;
}

/**
 * `run.json`: what a run was asked to do; written when it starts, again when it ends. A run folder whose
 * `finishedAt` is null, or that lacks a planned case, is incomplete.
 */
export interface RunInfo {
  schema: 1;
  runtime: string;
  startedAt: string;
  /** Set when the run ended, every case run or the run interrupted; null while it runs (or if it died). */
  finishedAt: string | null;
  seed: number;
  profile: string;
  command: string;
  /** Every case the run set out to run, in order (absent in run folders from before it was recorded). */
  planned?: PlannedCaseInfo[];
  /** The run was stopped (Ctrl-C, a signal) before every planned case ran. */
  interrupted?: boolean;
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

/** Why a run folder does not hold the whole run it set out to be. */
export interface Incompleteness {
  reasons: string[];
  /** Folders of planned cases that never started. */
  missingCases: string[];
}

/** `summary.json`: every result of a run, as data. */
export interface RunSummary {
  schema: 1;
  runtime: string;
  startedAt: string;
  /** null when the run never ended (its runner died): the summary is then incomplete. */
  finishedAt: string | null;
  /** null for a whole run; otherwise what is missing. An incomplete run never passes. */
  incomplete: Incompleteness | null;
  results: CaseResult[];
  /** Every experiment × strategy over its repeats. */
  aggregates: CaseAggregate[];
}

/**
 * A run passes when it is complete, has cases, and every one passed: a run folder without any case, or
 * missing some, proved nothing about what it left out.
 */
export const runPassed = (summary: RunSummary): boolean =>
  summary.incomplete === null &&
  summary.results.length > 0 &&
  summary.results.every((r) => r.verdict === 'pass');

/** Whether a run folder holds its whole run: it ended, was not interrupted, and every planned case started. */
export function incompleteness(info: RunInfo, caseDirs: string[]): Incompleteness | null {
  const reasons: string[] = [];
  if (info.finishedAt === null) reasons.push('the run never ended: its runner stopped mid-run');
  if (info.interrupted) reasons.push('the run was interrupted (Ctrl-C or a signal)');
  const present = new Set(caseDirs);
  const missingCases = (info.planned ?? []).map((p) => p.dir).filter((dir) => !present.has(dir));
  if (missingCases.length > 0)
    reasons.push(`${missingCases.length} of ${info.planned?.length} planned cases never started`);
  return reasons.length === 0 ? null : { reasons, missingCases };
}

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
