/** Writes a run's reports (summary.json, junit.xml, index.html) into its folder. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES, type RunSummary } from '../model/run.ts';
import { writeHtmlReport } from './html/write.ts';
import { junitXml } from './junit.ts';

export interface ReportFiles {
  summary: string;
  html: string;
  junit: string;
}

/** Writes summary.json, junit.xml and index.html of a run into its folder; all three come from the summary. */
export async function writeReports(summary: RunSummary, runDir: string): Promise<ReportFiles> {
  const files = {
    summary: join(runDir, RUN_FILES.summary),
    html: join(runDir, RUN_FILES.html),
    junit: join(runDir, RUN_FILES.junit),
  };
  writeFileSync(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(files.junit, junitXml(summary));
  await writeHtmlReport(summary, files.html);
  return files;
}
