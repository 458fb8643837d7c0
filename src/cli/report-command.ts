/** The `report` command: rebuilds a run folder's reports from its saved histories. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RUN_FILES, runPassed } from '../model/run.ts';
import { summaryTable } from '../report/terminal.ts';
import { checkRun } from '../run/check-run.ts';
import { PRUNED_FILE } from '../run/prune-runs.ts';
import { parse, UsageError } from './args.ts';

/** Rebuilds summary.json, junit.xml and index.html of a run folder from its saved histories. */
export async function reportCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parse('report', argv, { json: { type: 'boolean' } }, true);
  const [dir] = positionals;
  if (!dir || positionals.length > 1)
    throw new UsageError('report: name one run folder, e.g. session-chaos report reports/latest');
  if (!existsSync(resolve(dir, RUN_FILES.info)))
    throw new UsageError(`report: ${dir} is not a run folder (it has no run.json)`);
  if (existsSync(resolve(dir, PRUNED_FILE)))
    throw new UsageError(
      `report: ${dir} was pruned by a later run (see its ${PRUNED_FILE}): its histories are gone, so its summary.json and index.html stay as they were`,
    );
  const { summary, files } = await checkRun(resolve(dir));
  if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(`${summaryTable(summary)}\n\nreport: ${files.html}\n`);
  return runPassed(summary) ? 0 : 1;
}
