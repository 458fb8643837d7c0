/** Checking a whole run folder: every case's history checked, its anomalies written, then the reports. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideClaims } from '../checkers/claims.ts';
import { compareRuns } from '../checkers/regressions.ts';
import { aggregateRepeats } from '../checkers/repeats.ts';
import { trendsOf } from '../checkers/trends.ts';
import { readFaultLedger } from '../faults/ledger.ts';
import type { CaseResult } from '../model/case.ts';
import type { Comparison } from '../model/comparison.ts';
import { CASE_FILES, incompleteness, type RunInfo, type RunSummary, type TraceMode } from '../model/run.ts';
import { type ReportFiles, writeReports } from '../report/write.ts';
import { checkHistoryFile } from './check-history.ts';
import { readCaseRecords, readCost, readRunInfo, readRunSummary, readSummariesUnder } from './run-folder.ts';
import { pruneTraces, tracedUsers } from './traces.ts';

export interface RunReport {
  summary: RunSummary;
  files: ReportFiles;
}

/**
 * Checks every saved history of a run folder (streamed, in parallel when large), writes each case's anomalies.jsonl, then
 * the reports. The runner and `session-chaos report DIR` both come through here.
 * `traces`: the runner's `--trace`, deciding which browser users' traces each case keeps once its anomalies
 * are known; `report DIR` gives none and leaves the traces as they are.
 */
export async function checkRun(runDir: string, traces?: TraceMode): Promise<RunReport> {
  const info = readRunInfo(runDir);
  const results: CaseResult[] = [];
  for (const record of readCaseRecords(runDir)) {
    const dir = join(runDir, record.dir);
    const faults = readFaultLedger(join(dir, CASE_FILES.faults), record.plannedFaults);
    const cost = readCost(join(dir, CASE_FILES.cost));
    const { result, anomalies } = await checkHistoryFile(record, join(dir, CASE_FILES.history), faults, cost);
    writeFileSync(join(dir, CASE_FILES.anomalies), anomalies.map((a) => `${JSON.stringify(a)}\n`).join(''));
    const withAnomaly = result.checkerErrors.length > 0 ? null : new Set(anomalies.map((a) => a.user));
    const kept = traces ? pruneTraces(dir, traces, withAnomaly) : tracedUsers(dir);
    results.push(kept.length > 0 ? { ...result, traces: kept } : result);
  }
  const summary: RunSummary = {
    schema: 1,
    runtime: info.runtime,
    startedAt: info.startedAt,
    finishedAt: info.finishedAt,
    incomplete: incompleteness(
      info,
      results.map((r) => r.dir),
    ),
    results,
    aggregates: aggregateRepeats(results),
    claims: decideClaims(results),
  };
  const compared = { ...summary, ...sinceBaseline(info, summary), ...trends(info, summary) };
  return { summary: compared, files: await writeReports(compared, runDir) };
}

/** The comparison with the run's baseline, if it has one; an unreadable baseline is said so, not skipped. */
function sinceBaseline(info: RunInfo, summary: RunSummary): { sinceBaseline?: Comparison } {
  if (info.baseline === undefined) return {};
  try {
    return { sinceBaseline: compareRuns(readRunSummary(info.baseline), summary, info.baseline) };
  } catch (error) {
    const baseline = { dir: info.baseline, startedAt: '' };
    return { sinceBaseline: { baseline, cases: [], regressions: 0, error: (error as Error).message } };
  }
}

function trends(info: RunInfo, summary: RunSummary): Pick<RunSummary, 'trends'> {
  if (info.history === undefined) return {};
  return { trends: trendsOf(readSummariesUnder(info.history).summaries, summary) };
}
