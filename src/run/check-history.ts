/** Checking a case's saved history, split over threads when it is large. */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type CheckedCase, judge } from '../checkers/judge.ts';
import { CaseTally, mergeTallies, type Tally } from '../checkers/tally.ts';
import type { CaseRecord, CostRecord } from '../model/case.ts';
import type { FaultRecord } from '../model/fault.ts';
import { type PartJob, tallyPart } from './check-part.ts';

/** Below this a history is checked on this thread: starting workers would cost more than it saves. */
const PARALLEL_FROM_BYTES = 32 << 20;

function inWorker(job: PartJob): Promise<Tally> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./check-worker.js', import.meta.url), { workerData: job });
    worker.once('message', (tally: Tally) => resolve(tally));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`checker thread exited with code ${code}`)));
  });
}

/**
 * Checks a saved history file: large ones are split by user over one thread per core (each user's ops stay
 * together), and the tallies merged. A missing history is an empty one.
 */
export async function checkHistoryFile(
  record: CaseRecord,
  file: string,
  faults: FaultRecord[],
  cost: CostRecord | null = null,
): Promise<CheckedCase> {
  const job = { file, record, faults, part: 0, parts: 1 };
  if (!existsSync(file)) return judge(record, faults, new CaseTally(record, faults).tally(), cost);
  const parts = statSync(file).size < PARALLEL_FROM_BYTES ? 1 : Math.min(2, availableParallelism());
  if (parts === 1) return judge(record, faults, tallyPart(job), cost);
  const tallies = await Promise.all(
    Array.from({ length: parts }, (_, part) => inWorker({ ...job, part, parts })),
  );
  return judge(record, faults, mergeTallies(tallies), cost);
}
