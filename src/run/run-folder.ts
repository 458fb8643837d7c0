import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseRecord, CostRecord } from '../model/case.ts';
import { CASE_FILES, RUN_FILES, type RunInfo } from '../model/run.ts';

/** Reading and writing a run folder: `run.json`, and per case `<experiment>/<strategy>/case.json`. */
export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** A run's id: its start time to the second, e.g. 20261125-221530Z. */
export const runId = (date = new Date()): string =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');

/**
 * Creates a new run folder under `out`, named by the run id; a second run starting in the same second
 * gets `-2`, `-3`… Creating the folder is what claims the name, so two runs never share one.
 */
export function createRunDir(out: string, date = new Date()): string {
  mkdirSync(out, { recursive: true });
  const id = runId(date);
  for (let n = 1; ; n += 1) {
    const dir = join(out, n === 1 ? id : `${id}-${n}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

export function readRunInfo(runDir: string): RunInfo {
  const file = join(runDir, RUN_FILES.info);
  if (!existsSync(file)) throw new Error(`${runDir} is not a run folder: it has no ${RUN_FILES.info}`);
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

/** A case's cost.json, or null when it has none (or it cannot be read: the cost is then unknown). */
export function readCost(file: string): CostRecord | null {
  try {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CostRecord) : null;
  } catch {
    return null;
  }
}
