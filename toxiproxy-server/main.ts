/** The Toxiproxy-compatible server on its own: what the local runtime and the container image start. */
import { FlagError, serve } from './serve.ts';

try {
  process.exitCode = await serve(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`toxiproxy: ${(error as Error).message}\n`);
  process.exitCode = error instanceof FlagError ? 2 : 3;
}
