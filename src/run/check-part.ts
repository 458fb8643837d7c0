/** Tallying one part of a history's users: what each checker thread does with its share. */
import { CaseTally, type Tally } from '../checkers/tally.ts';
import { checkOp } from '../history/reader.ts';
import type { CaseRecord } from '../model/case.ts';
import type { FaultRecord } from '../model/fault.ts';
import { forEachLine, partOf } from './history-lines.ts';

export interface PartJob {
  file: string;
  record: CaseRecord;
  faults: FaultRecord[];
  /** This part's number, of `parts`: it checks the users whose ids hash to it. */
  part: number;
  parts: number;
}

/**
 * Tallies one part of a history file's users: every line is scanned, only this part's are parsed. A bad
 * line is an error unless it is the last one (the runner died mid-write).
 */
export function tallyPart({ file, record, faults, part, parts }: PartJob): Tally {
  const tally = new CaseTally(record, faults);
  let line = 0;
  let bad: string | null = null;
  forEachLine(file, (buffer, start, end) => {
    line += 1;
    if (bad) tally.unreadable(`the history could not be read: ${bad}`);
    bad = null;
    if (partOf(buffer, start, end, parts) !== part) return;
    try {
      tally.add(checkOp(JSON.parse(buffer.toString('utf8', start, end))));
    } catch (error) {
      bad = `${file}:${line}: ${(error as Error).message}`;
    }
  });
  return tally.tally();
}
