/** `session-chaos toxiproxy`: the suite's Toxiproxy-compatible server (toxiproxy-server/) from the suite's CLI. */
import { FlagError, serve } from '../../toxiproxy-server/serve.ts';
import { UsageError } from './args.ts';

/** Serves until SIGINT/SIGTERM; bad flags are a usage error (exit 2). */
export async function toxiproxyCommand(argv: string[]): Promise<number> {
  try {
    return await serve(argv);
  } catch (error) {
    if (error instanceof FlagError) throw new UsageError(`toxiproxy: ${error.message}`);
    throw error;
  }
}
