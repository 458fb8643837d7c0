/** Test helper: a run summary made of given case results, for report tests. */
import { aggregateRepeats } from '../../src/checkers/repeats.ts';
import type { CaseResult } from '../../src/model/case.ts';
import type { RunSummary } from '../../src/model/run.ts';

/** A whole run's summary of these results, their repeats aggregated. */
export const summaryOf = (results: CaseResult[], extra: Partial<RunSummary> = {}): RunSummary => ({
  schema: 1,
  runtime: 'local',
  startedAt: '2026-11-25T00:00:00.000Z',
  finishedAt: '2026-11-25T00:01:00.000Z',
  incomplete: null,
  results,
  aggregates: aggregateRepeats(results),
  ...extra,
});
