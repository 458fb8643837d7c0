/** What a user is to the workload: a client that logs in, adds, reads and logs out, each call making ops. */
import type { Op } from '../model/op.ts';

/**
 * How long a user waits for an answer before it gives up (an `info` op) and goes on. Longer than the load
 * balancer ever holds a request (run-case checks it), so a request the user gave up on is over on the load
 * balancer before the user's next one starts.
 */
export const CLIENT_TIMEOUT_MS = 20_000;

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
  /**
   * Another lane of the same user and session, for requests in parallel: a browser tab (a page of the same
   * context), or the HTTP user itself (its cookie jar is the session). Its ops carry this user's epoch.
   */
  tab(): Promise<SessionClient>;
  close(): Promise<void>;
}
