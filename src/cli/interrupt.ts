/**
 * Runs work with an AbortSignal fired by the first Ctrl-C (or SIGTERM): the work heals its faults and stops
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
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
