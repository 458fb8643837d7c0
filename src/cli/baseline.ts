/** The options naming earlier runs (`--baseline`, `--history`), and the comparison with a baseline shown. */
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Comparison } from '../model/comparison.ts';
import type { RunSummary } from '../model/run.ts';
import { comparisonMarkdown, comparisonTable } from '../report/comparison-text.ts';
import { readRunSummary } from '../run/run-folder.ts';
import { UsageError } from './args.ts';

/** A run folder's summary given on the command line; one that cannot be read is bad input (exit 2). */
export function summaryArg(what: string, dir: string): RunSummary {
  try {
    return readRunSummary(resolve(dir));
  } catch (error) {
    throw new UsageError(`${what} ${dir}: ${(error as Error).message}`);
  }
}

/** `--baseline DIR`: a run folder with a readable summary.json, checked before anything starts. */
export function baselineOf(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  summaryArg('--baseline', dir);
  return resolve(dir);
}

/** `--history DIR`: a folder of earlier runs (their summary.json files are read, three levels deep). */
export function historyOf(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(
      `--history ${dir}: not a folder; give a folder of earlier run folders (or their summary.json files)`,
    );
  return resolve(dir);
}

/**
 * Prints a comparison as a table, adds it to the CI job summary when `$GITHUB_STEP_SUMMARY` names one, and
 * says whether anything got worse (an unreadable baseline counts: nothing was shown to be as good).
 */
export function reportComparison(
  comparison: Comparison,
  out: NodeJS.WritableStream = process.stdout,
): boolean {
  out.write(`\n${comparisonTable(comparison)}\n`);
  const jobSummary = process.env.GITHUB_STEP_SUMMARY;
  if (jobSummary) appendFileSync(jobSummary, comparisonMarkdown(comparison));
  return comparison.regressions > 0 || comparison.error !== undefined;
}
