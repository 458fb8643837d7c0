/** Test helper: a case record with defaults, for checker and report tests. */
import type { CaseRecord } from '../../src/model/case.ts';

/** A completed case's record for checker tests: three nodes' worth of defaults, override what the test is about. */
export const caseRecord = (extra: Partial<CaseRecord> = {}): CaseRecord => ({
  experiment: 'node-crash',
  strategy: 'sticky',
  repeat: 0,
  durationS: 20,
  nodes: ['app-1', 'app-2'],
  expectations: [],
  dir: 'node-crash/sticky',
  startedAt: '2026-11-25T00:00:00.000Z',
  completed: true,
  ...extra,
});
