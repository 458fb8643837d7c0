/** The messages between the runner and the HTTP users' thread. */
import type { Workload } from '../../experiment/experiment.ts';
import type { AdapterFile } from '../../model/adapter.ts';
import type { LoopLag } from '../../model/case.ts';
import type { Op } from '../../model/op.ts';
import type { UserPlan } from '../user-loop.ts';

/** What the HTTP users' thread is started with (before the cluster is: loading its code takes a while). */
export interface HttpUsersSetup {
  names: string[];
  workload: Workload;
  /** A user's adapter module (its absolute path and the name it was given), else the app contract. */
  adapter?: AdapterFile;
}

/** From the runner to the HTTP users' thread. */
export type ToUsers =
  | { type: 'open'; baseUrl: string }
  | { type: 'run'; epochOrigin: number; plans: UserPlan[]; deadlineMs: number }
  | { type: 'final-reads' }
  | { type: 'stop' };

/** From the HTTP users' thread to the runner: ops in batches, in completion order, then the end of a phase. */
export type FromUsers =
  | { type: 'ready' }
  | { type: 'opened' }
  | { type: 'ops'; ops: Op[] }
  | { type: 'ran'; lag: LoopLag | null }
  | { type: 'final-reads-done' }
  /** `adapter`: the adapter's own code threw (an AdapterError), not the thread. */
  | { type: 'failed'; message: string; adapter: boolean };
