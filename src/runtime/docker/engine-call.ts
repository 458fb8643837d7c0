/** Container engine calls with a time limit: a hung engine fails a case instead of stalling the run. */
import { InfrastructureError } from '../runtime.ts';

/**
 * How long one engine call may take. Every call here answers in seconds; Podman 4.3's API service was seen
 * holding container starts for good (its conmon processes left as zombies), and a run waited 28 minutes.
 */
export const ENGINE_CALL_MS = 60_000;

/** Passed to the dockerode call, which aborts its request with it (where dockerode forwards the signal). */
export interface Abortable {
  abortSignal: AbortSignal;
}

/** The engine took longer than a call may: it is taken for hung. */
export class EngineHungError extends InfrastructureError {
  override name = 'EngineHungError';
}

/** For a call whose refusal is expected (e.g. the container has already exited): passes on only a hung engine. */
export function unlessHung(error: unknown): void {
  if (error instanceof EngineHungError) throw error;
}

let hung: string | null = null;

/** What the engine failed to answer earlier in this process, or null: later cases fail at once instead of waiting. */
export const engineHung = (): string | null => hung;

/**
 * An engine call that is given up, its request aborted, when it takes longer than `ms`: exit 3, not a wait
 * with no end. After one such call every later one fails at once; the next start's reaper, or the exit
 * hook's process, removes what is left.
 */
export async function engineCall<T>(
  what: string,
  call: (options: Abortable) => Promise<T>,
  ms = ENGINE_CALL_MS,
): Promise<T> {
  if (hung) throw new EngineHungError(`${hung} earlier in this run`);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      hung = `the container engine did not answer ${what} within ${ms / 1000} s`;
      controller.abort();
      reject(new EngineHungError(`${hung}: restart it (for Podman, \`bash scripts/podman-setup.sh\` does)`));
    }, ms);
  });
  try {
    return await Promise.race([call({ abortSignal: controller.signal }), late]);
  } finally {
    clearTimeout(timer);
  }
}
