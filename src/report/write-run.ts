import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFaultLedger } from '../faults/ledger.ts';
import { readHistory } from '../history/reader.ts';
import { checkCase } from './case-result.ts';
import { writeHtmlReport } from './html/write.ts';
import { junitXml } from './junit.ts';
import type { CaseResult, Summary } from './model.ts';
import { CASE_FILES, readCaseRecords, readRunInfo, writeJson } from './run-files.ts';

export interface RunReport {
  summary: Summary;
  files: { summary: string; html: string; junit: string };
}

/**
 * Checks every saved history of a run folder and writes summary.json, junit.xml, index.html and each case's
 * anomalies.jsonl. The runner and `session-chaos report DIR` both come through here.
 */
export async function writeRunReport(runDir: string): Promise<RunReport> {
  const info = readRunInfo(runDir);
  const results: CaseResult[] = readCaseRecords(runDir).map((record) => {
    const dir = join(runDir, record.dir);
    const historyFile = join(dir, CASE_FILES.history);
    const history = existsSync(historyFile) ? readHistory(historyFile) : [];
    const { result, anomalies } = checkCase(record, history, readFaultLedger(join(dir, CASE_FILES.faults)));
    writeFileSync(join(dir, CASE_FILES.anomalies), anomalies.map((a) => `${JSON.stringify(a)}\n`).join(''));
    return result;
  });
  const summary: Summary = {
    schema: 1,
    runtime: info.runtime,
    startedAt: info.startedAt,
    finishedAt: info.finishedAt ?? new Date().toISOString(),
    results,
  };
  const files = {
    summary: join(runDir, 'summary.json'),
    html: join(runDir, 'index.html'),
    junit: join(runDir, 'junit.xml'),
  };
  writeJson(files.summary, summary);
  writeFileSync(files.junit, junitXml(summary));
  await writeHtmlReport(summary, files.html);
  return { summary, files };
}
