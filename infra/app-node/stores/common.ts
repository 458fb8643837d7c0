/** What every session store module shares: errors that are never "no session", a start deadline. */
import type session from 'express-session';
import type { Cart } from '../cart.ts';
export type Log = (line: string) => void;

/** The store failed or did not answer: never to be confused with "no session". */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** Thrown when the store cannot be reached at start. */
export class StoreStartError extends Error {
  override name = 'StoreStartError';
}

/** A store's URL as it may be logged: its password (the case's secret) left out. */
export function shown(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(a store URL)';
  }
}

export function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** What a store module gives: the inner express-session store (guarded here) and how to close its client. */
export interface OpenedStore {
  inner: session.Store;
  /** With SESSION_WRITES=atomic: appends an item to the stored session in one step (null: no session). */
  appendItem?(sid: string, item: string): Promise<Cart | null>;
  close(): Promise<void>;
}

/** Waits for `ready`, at most `waitMs`; a store that does not answer in time is a StoreStartError. */
export async function within<T>(ready: Promise<T>, what: string, waitMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreStartError(`${what} not reachable within ${waitMs} ms`)),
      waitMs,
    );
  });
  try {
    return await Promise.race([ready, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
