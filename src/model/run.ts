/** A run and its folder: what it set out to run (run.json), what it found (summary.json), where files go. */
import type { CaseResult } from './case.ts';
import type { Claim } from './claim.ts';
import type { Comparison, Trend } from './comparison.ts';
import type { Estimate } from './estimate.ts';
import type { Verdict } from './expectation.ts';

export type { Estimate };

/** One case a run set out to run: where its folder will be. */
export interface PlannedCaseInfo {
  experiment: string;
  strategy: string;
  repeat: number;
  appNodes?: number;
  dir: string;
}

/**
 * The whole matrix a run belongs to: what its seed decides, and every case of it. Shards of one matrix
 * agree on every field; `merge` refuses shards that do not.
 */
export interface MatrixInfo {
  seed: number;
  profile: string;
  runtime: string;
  experiments: string[];
  /** The strategies asked for (`--strategy`), or null for every strategy each experiment lists. */
  strategies: string[] | null;
  repeats: number;
  /** The user's app command (`--app`), or null for the strategies' own apps. */
  app: string | null;
  /** Every case of the matrix, in plan order. */
  cases: PlannedCaseInfo[];
}

/** Which part of its matrix a run is: shard `index` (from 1) of `count` (`run --shard index/count`). */
export interface ShardInfo {
  index: number;
  count: number;
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
  /** The matrix the run belongs to (absent in run folders from before it was recorded). */
  matrix?: MatrixInfo;
  /** Set when the run is one shard of its matrix: then `planned` holds only the shard's cases. */
  shard?: ShardInfo;
  /** Set by `merge`: why the merged folder is not the whole matrix (a shard missing, a case twice). */
  mergeProblems?: string[];
  /** The run folder to compare this one with (`--baseline`), as given. */
  baseline?: string;
  /** A folder of earlier runs' summaries to show trends from (`--history`), as given. */
  history?: string;
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
  /** What changed since the baseline run (`--baseline DIR`). */
  sinceBaseline?: Comparison;
  /** Each case's figures over the earlier runs given (`--history DIR`) and this one. */
  trends?: Trend[];
  /** The claims people make about strategies, each decided from this run's cases by its rule. */
  claims?: Claim[];
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
  reasons.push(...(info.mergeProblems ?? []));
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
  traces: 'traces',
} as const;

/** `--trace`: which browser users keep a Playwright trace of their context (see src/run/traces.ts). */
export const TRACE_MODES = ['all', 'anomalies', 'off'] as const;
export type TraceMode = (typeof TRACE_MODES)[number];

/** A browser user's trace, relative to its case folder. */
export const traceFile = (user: string): string => `${CASE_FILES.traces}/${user}.zip`;

/**
 * A case's folder inside its run folder: `<experiment>/<strategy>` (`all-to-all:sync` → `all-to-all-sync`),
 * `-n<nodes>` when the experiment runs several cluster sizes, `-r<N>` for repeats after the first.
 */
export const caseDirName = (experiment: string, strategy: string, repeat: number, nodes?: number): string =>
  `${experiment}/${strategy.replaceAll(':', '-')}${nodes === undefined ? '' : `-n${nodes}`}${repeat === 0 ? '' : `-r${repeat}`}`;
