import { STOP_SIGNALS } from './signals.ts';

/**
 * Runs work with an AbortSignal fired by the first Ctrl-C (or SIGTERM, or SIGHUP when the terminal closes): the work heals its faults and stops
 * its cluster. A second Ctrl-C exits at once; the exit hook and the ledger still clean up.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(
      `\n${signal}: healing faults and stopping everything (press Ctrl-C again to exit at once)\n`,
    );
    controller.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  try {
    return await work(controller.signal);
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
}
