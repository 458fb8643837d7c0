/** What the server's own tests need beside it: waiting for a condition, a scratch folder. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `probe` until it returns true; throws naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (await probe().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A new folder under the system's temporary folder, for one test's files. */
export const scratchDir = (name: string): string => mkdtempSync(join(tmpdir(), `sc-toxiproxy-${name}-`));
