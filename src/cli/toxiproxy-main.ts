/**
 * The Toxiproxy-compatible server on its own (what the local runtime starts for the links): the
 * `session-chaos toxiproxy` command without the rest of the CLI, so that it starts fast.
 */
import { goFlags, toxiproxyCommand } from './toxiproxy-command.ts';

try {
  process.exitCode = await toxiproxyCommand(goFlags(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(`toxiproxy: ${(error as Error).message}\n`);
  process.exitCode = 3;
}
