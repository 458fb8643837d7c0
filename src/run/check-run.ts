import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCase } from '../checkers/check-case.ts';
import { aggregateRepeats } from '../checkers/repeats.ts';
import { readFaultLedger } from '../faults/ledger.ts';
import { streamHistory } from '../history/reader.ts';
import type { CaseResult } from '../model/case.ts';
import { CASE_FILES, type RunSummary } from '../model/run.ts';
import { type ReportFiles, writeReports } from '../report/write.ts';
import { readCaseRecords, readRunInfo } from './run-folder.ts';

export interface RunReport {
  summary: RunSummary;
  files: ReportFiles;
}

/**
 * Checks every saved history of a run folder (streamed, op by op), writes each case's anomalies.jsonl, then
 * the reports. The runner and `session-chaos report DIR` both come through here.
 */
export async function checkRun(runDir: string): Promise<RunReport> {
  const info = readRunInfo(runDir);
  const results: CaseResult[] = readCaseRecords(runDir).map((record) => {
    const dir = join(runDir, record.dir);
    const historyFile = join(dir, CASE_FILES.history);
    const history = existsSync(historyFile) ? streamHistory(historyFile) : [];
    const { result, anomalies } = checkCase(record, history, readFaultLedger(join(dir, CASE_FILES.faults)));
    writeFileSync(join(dir, CASE_FILES.anomalies), anomalies.map((a) => `${JSON.stringify(a)}\n`).join(''));
    return result;
  });
  const summary: RunSummary = {
    schema: 1,
    runtime: info.runtime,
    startedAt: info.startedAt,
    finishedAt: info.finishedAt ?? new Date().toISOString(),
    results,
    aggregates: aggregateRepeats(results),
  };
  return { summary, files: await writeReports(summary, runDir) };
}
