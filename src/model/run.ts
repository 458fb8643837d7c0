import type { CaseResult } from './case.ts';

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

/** `summary.json`: every result of a run, as data. */
export interface RunSummary {
  schema: 1;
  runtime: string;
  startedAt: string;
  finishedAt: string;
  results: CaseResult[];
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
  logs: 'logs',
} as const;

/** A case's folder inside its run folder: `<experiment>/<strategy>` (`-r<N>` for repeats after the first). */
export const caseDirName = (experiment: string, strategy: string, repeat: number): string =>
  `${experiment}/${repeat === 0 ? strategy : `${strategy}-r${repeat}`}`;
