import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseRecord } from './case-result.ts';

/** The files of a run folder: `run.json`, and per case `<experiment>/<strategy>/case.json` and its history. */
export interface RunInfo {
  schema: 1;
  runtime: string;
  startedAt: string;
  finishedAt: string | null;
  seed: number;
  profile: string;
  command: string;
}

export const CASE_FILES = {
  record: 'case.json',
  history: 'history.jsonl',
  faults: 'faults.jsonl',
  anomalies: 'anomalies.jsonl',
  logs: 'logs',
} as const;

export const caseDirName = (experiment: string, strategy: string, repeat: number): string =>
  join(experiment, repeat === 0 ? strategy : `${strategy}-r${repeat}`);

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function readRunInfo(runDir: string): RunInfo {
  const file = join(runDir, 'run.json');
  if (!existsSync(file)) throw new Error(`${runDir} is not a run folder: it has no run.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as RunInfo;
}

export function writeCaseRecord(runDir: string, record: CaseRecord): void {
  mkdirSync(join(runDir, record.dir), { recursive: true });
  writeJson(join(runDir, record.dir, CASE_FILES.record), record);
}

/** Every case of a run, in the order they started. */
export function readCaseRecords(runDir: string): CaseRecord[] {
  const records: CaseRecord[] = [];
  for (const experiment of readdirSync(runDir, { withFileTypes: true })) {
    if (!experiment.isDirectory()) continue;
    for (const kase of readdirSync(join(runDir, experiment.name), { withFileTypes: true })) {
      const file = join(runDir, experiment.name, kase.name, CASE_FILES.record);
      if (kase.isDirectory() && existsSync(file))
        records.push(JSON.parse(readFileSync(file, 'utf8')) as CaseRecord);
    }
  }
  return records.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
