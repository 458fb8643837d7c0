/** How an answer goes into the history: did a write happen, which session (not its secret), why it failed. */
import { createHash } from 'node:crypto';
import type { Outcome } from '../model/op.ts';

/**
 * What a response status says about whether a write happened. 5xx from the load balancer may come after the
 * node applied the write (it died mid-request): unknown, never "failed".
 */
export function outcomeOf(status: number | null): Outcome {
  if (status === null || status >= 500) return 'info';
  if (status >= 400) return 'fail';
  return 'ok';
}

/** Enough of a session id to tell sessions apart in a history, without storing the secret. */
export const sessionHash = (value: string | undefined): string | undefined =>
  value ? createHash('sha256').update(value).digest('hex').slice(0, 8) : undefined;

/** A short name for a failed request: "timeout", "ECONNRESET", ... */
export function errorName(error: unknown): string {
  const e = error as {
    name?: string;
    code?: string;
    cause?: { code?: string; message?: string };
    message?: string;
  };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  const name = e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? String(error);
  return (name.split('\n')[0] ?? name).slice(0, 160);
}
