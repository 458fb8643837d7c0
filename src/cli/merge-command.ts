/** The `merge` command: one run folder from the shards of a matrix run on several machines. */
import { relative, resolve } from 'node:path';
import { runPassed } from '../model/run.ts';
import { summaryTable } from '../report/terminal.ts';
import { MergeRefused, mergeRuns } from '../run/merge.ts';
import { parse, UsageError } from './args.ts';
import { baselineOf, historyOf, reportComparison } from './baseline.ts';
import { EXIT } from './exit-codes.ts';

/**
 * `merge DIR... --out DIR`: one run folder from the shards of a matrix. Exit 0 when the whole matrix is
 * there and passed, 1 when a case failed or was undecided, a shard is missing or a case came twice.
 */
export async function mergeCommand(argv: string[]): Promise<number> {
  const options = {
    out: { type: 'string' },
    baseline: { type: 'string' },
    history: { type: 'string' },
    'report-only': { type: 'boolean' },
  } as const;
  const { positionals, values } = parse('merge', argv, options, true);
  if (positionals.length === 0 || !values.out)
    throw new UsageError(
      'merge: name the shard run folders and a new folder, e.g. session-chaos merge shard-*/ --out merged',
    );
  const baseline = baselineOf(values.baseline);
  const history = historyOf(values.history);
  const extra = { ...(baseline ? { baseline } : {}), ...(history ? { history } : {}) };
  let merged: Awaited<ReturnType<typeof mergeRuns>>;
  try {
    merged = await mergeRuns(
      positionals.map((d) => resolve(d)),
      resolve(values.out),
      extra,
    );
  } catch (error) {
    if (error instanceof MergeRefused) throw new UsageError(error.message);
    throw error;
  }
  const { summary, files } = merged;
  process.stdout.write(`${summaryTable(summary)}\n`);
  const worse = summary.sinceBaseline ? reportComparison(summary.sinceBaseline) : false;
  process.stdout.write(`\nreport: ${relative(process.cwd(), files.html) || files.html}\n`);
  if (!runPassed(summary)) return EXIT.failed;
  return worse && !values['report-only'] ? EXIT.failed : EXIT.ok;
}
