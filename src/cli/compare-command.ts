/** The `compare` command: what changed between two runs. */
import { compareRuns } from '../checkers/regressions.ts';
import { parse, UsageError } from './args.ts';
import { reportComparison, summaryArg } from './baseline.ts';
import { EXIT } from './exit-codes.ts';

/** `compare BASE NEW`: what changed between two runs; exit 1 on a regression unless --report-only. */
export async function compareCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parse('compare', argv, { 'report-only': { type: 'boolean' } }, true);
  const [base, now] = positionals;
  if (!base || !now || positionals.length > 2)
    throw new UsageError(
      'compare: name two run folders, the baseline first, e.g. session-chaos compare last/ reports/latest',
    );
  const comparison = compareRuns(
    summaryArg('compare: baseline', base),
    summaryArg('compare: run', now),
    base,
  );
  const worse = reportComparison(comparison);
  return worse && !values['report-only'] ? EXIT.failed : EXIT.ok;
}
