import type { Op } from '../model/op.ts';

/**
 * One user's way of speaking the app contract: through a real browser or plain HTTP. Each call returns
 * the ops it completed (a browser form submission is a write followed by the page it redirects to).
 */
export interface SessionClient {
  readonly user: string;
  /** Counts this user's logins; ops carry it so checkers can tell sessions apart. */
  readonly epoch: number;
  login(): Promise<Op[]>;
  add(item: string): Promise<Op[]>;
  read(): Promise<Op[]>;
  close(): Promise<void>;
}
