/** What stops a command (Ctrl-C, kill, a closed terminal): cleanly the first time, at once the second. */
import { EXIT } from './exit-codes.ts';

/** The signals that stop a command cleanly: Ctrl-C, a kill, and the terminal going away. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Calls `first` on the first stop signal, so the command can stop what it started; a second one, during
 * that teardown, exits at once through process.exit, whose hooks still kill every process started and
 * remove every container (a signal's default action would skip them). Handlers go in at once, so a signal
 * during start-up counts too. Returns how to take them out again.
 */
export function onStopSignals(first: (signal: NodeJS.Signals) => void): () => void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(EXIT.interrupted);
    stopping = true;
    first(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, handle);
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, handle);
  };
}

/** Resolves on the first stop signal; a second one exits at once (see onStopSignals). Never taken out. */
export function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    onStopSignals(resolve);
  });
}
