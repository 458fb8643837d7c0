/** Checking one case's history whole: its tally, then its judgement (tally.ts, judge.ts). */
import type { CaseRecord, CostRecord } from '../model/case.ts';
import type { FaultRecord } from '../model/fault.ts';
import type { Op } from '../model/op.ts';
import { type CheckedCase, judge } from './judge.ts';
import { CaseTally } from './tally.ts';

/** Checks a whole history; a history that cannot be read to the end leaves every expectation unknown. */
export function checkCase(
  record: CaseRecord,
  history: Iterable<Op>,
  faults: FaultRecord[],
  cost: CostRecord | null = null,
): CheckedCase {
  const tally = new CaseTally(record, faults);
  try {
    for (const op of history) tally.add(op);
  } catch (error) {
    tally.unreadable(`the history could not be read to the end: ${(error as Error).message}`);
  }
  return judge(record, faults, tally.tally(), cost);
}
