/** Test helper: waiting until something comes true, with a deadline. */
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `probe` until it returns true; throws naming `what` after `timeoutMs`. Returns the time it took. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (await probe().catch(() => false)) return performance.now() - start;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
