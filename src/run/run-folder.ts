/** Reading and writing a run folder: `run.json`, and per case `<experiment>/<strategy>/case.json`. */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseRecord, CostRecord } from '../model/case.ts';
import { CASE_FILES, RUN_FILES, type RunInfo, type RunSummary } from '../model/run.ts';
import { checkCaseRecord, checkCostRecord, checkRunInfo, checkRunSummary } from './saved-files.ts';

export function writeJson(file: string, value: unknown): void {
  // Written aside and renamed over: a reader never sees half a file, even if the runner dies mid-write.
  writeFileSync(`${file}.partial`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${file}.partial`, file);
}

/** A JSON file read and checked; a torn or foreign file is an error naming the file and what is wrong. */
function readChecked<T>(file: string, check: (value: unknown) => T): T {
  try {
    return check(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
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
  return readChecked(file, checkRunInfo);
}

/** A run folder's summary.json (a run folder, or the summary.json itself), checked. */
export function readRunSummary(path: string): RunSummary {
  const file = path.endsWith('.json') ? path : join(path, RUN_FILES.summary);
  if (!existsSync(file))
    throw new Error(`${path} has no ${RUN_FILES.summary}: give a run folder that was reported`);
  return readChecked(file, checkRunSummary);
}

/**
 * Every readable summary.json in a folder and its subfolders, three levels deep (a folder of run folders,
 * or of downloaded artifacts each holding one); an unreadable one is skipped and named in `skipped`.
 */
export function readSummariesUnder(folder: string): { summaries: RunSummary[]; skipped: string[] } {
  const summaries: RunSummary[] = [];
  const skipped: string[] = [];
  const visit = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < 3) visit(path, depth + 1);
      else if (entry.isFile() && entry.name === RUN_FILES.summary) {
        try {
          summaries.push(readRunSummary(path));
        } catch (error) {
          skipped.push((error as Error).message);
        }
      }
    }
  };
  visit(folder, 0);
  return { summaries, skipped };
}

export function writeCaseRecord(runDir: string, record: CaseRecord): void {
  mkdirSync(join(runDir, record.dir), { recursive: true });
  writeJson(join(runDir, record.dir, CASE_FILES.record), record);
}

/**
 * Every case of a run, in the order they started. A case.json that cannot be read stands as a case of its
 * folder's experiment and strategy that says why: its verdict is unknown, the other cases are unaffected.
 */
export function readCaseRecords(runDir: string): CaseRecord[] {
  const records: CaseRecord[] = [];
  for (const experiment of readdirSync(runDir, { withFileTypes: true })) {
    if (!experiment.isDirectory()) continue;
    for (const kase of readdirSync(join(runDir, experiment.name), { withFileTypes: true })) {
      const file = join(runDir, experiment.name, kase.name, CASE_FILES.record);
      if (!kase.isDirectory() || !existsSync(file)) continue;
      try {
        records.push(readChecked(file, checkCaseRecord));
      } catch (error) {
        records.push(unreadableCase(experiment.name, kase.name, (error as Error).message));
      }
    }
  }
  return records.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

const unreadableCase = (experiment: string, folder: string, error: string): CaseRecord => ({
  experiment,
  strategy: folder,
  repeat: 0,
  durationS: 1,
  nodes: [],
  expectations: [],
  dir: join(experiment, folder),
  startedAt: '',
  error,
});

/** A case's cost.json, or null when it has none (or it cannot be read: the cost is then unknown). */
export function readCost(file: string): CostRecord | null {
  try {
    return existsSync(file) ? readChecked(file, checkCostRecord) : null;
  } catch {
    return null;
  }
}
