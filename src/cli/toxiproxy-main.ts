/**
 * The Toxiproxy-compatible server on its own (what the local runtime starts for the links): the
 * `session-chaos toxiproxy` command without the rest of the CLI, so that it starts fast.
 */
import { toxiproxyCommand } from './toxiproxy-command.ts';

/** The real server's Go-style flags (-host=X, -port X), so a container image runs either server alike. */
const args = process.argv.slice(2).map((arg) => (/^-(host|port)(=|$)/.test(arg) ? `-${arg}` : arg));

try {
  process.exitCode = await toxiproxyCommand(args);
} catch (error) {
  process.stderr.write(`toxiproxy: ${(error as Error).message}\n`);
  process.exitCode = 3;
}
