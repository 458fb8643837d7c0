/** Waiting for a service to be ready, with an error that says what never came true when it is not. */
import { setTimeout as sleep } from 'node:timers/promises';
import { InfrastructureError } from './runtime.ts';

export interface Readiness {
  /** What must become true, for the error message, e.g. "app-2 answers GET http://127.0.0.1:4001/healthz with 200". */
  condition: string;
  /** Resolves when ready; throws (with a reason) when not yet. */
  probe(): Promise<void>;
}

/**
 * Polls a probe until it passes. The error names the condition that never came true, the last reason, and
 * a hint (e.g. the log's last lines, read when the error is made).
 */
export async function waitUntilReady(
  readiness: Readiness,
  {
    timeoutMs,
    hint = () => '',
    exited,
  }: { timeoutMs: number; hint?: () => string; exited?: () => string | null },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no attempt finished';
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const gone = exited?.();
    if (gone)
      throw new InfrastructureError(`${readiness.condition}: never came true, the process ${gone}${hint()}`);
    try {
      await readiness.probe();
      return;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() >= deadline)
      throw new InfrastructureError(
        `${readiness.condition}: not true after ${timeoutMs / 1000} s (last attempt: ${last})${hint()}`,
      );
    await sleep(delay);
  }
}
