/** Ctrl-C during a command: the first stops it cleanly (faults healed, cluster stopped), a second at once. */
import { onStopSignals } from './signals.ts';

/**
 * Runs work with an AbortSignal fired by the first Ctrl-C (or SIGTERM, or SIGHUP when the terminal closes):
 * the work heals its faults and stops its cluster. A second one exits at once; the exit hooks and the
 * ledger still clean up.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stopHandling = onStopSignals((signal) => {
    process.stderr.write(
      `\n${signal}: healing faults and stopping everything (press Ctrl-C again to exit at once)\n`,
    );
    controller.abort();
  });
  try {
    return await work(controller.signal);
  } finally {
    stopHandling();
  }
}
